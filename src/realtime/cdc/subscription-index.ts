import type { PostgresSubscription } from './postgres-subscription';

/** Live postgres_changes subscriptions by table, so a change only looks at its own table's subscribers. */
export class SubscriptionIndex {
  private readonly byTable = new Map<number, Set<PostgresSubscription>>();
  private readonly byReceiver = new Map<number, PostgresSubscription[]>();

  /** Replaces whatever the receiver had (a token refresh re-creates a channel's subscriptions). */
  replace(receiverId: number, subscriptions: PostgresSubscription[]): void {
    this.remove(receiverId);
    if (subscriptions.length === 0) return;
    this.byReceiver.set(receiverId, subscriptions);
    for (const subscription of subscriptions) {
      let set = this.byTable.get(subscription.table.oid);
      if (!set) {
        set = new Set();
        this.byTable.set(subscription.table.oid, set);
      }
      set.add(subscription);
    }
  }

  remove(receiverId: number): void {
    for (const subscription of this.byReceiver.get(receiverId) ?? []) {
      const set = this.byTable.get(subscription.table.oid);
      set?.delete(subscription);
      if (set?.size === 0) this.byTable.delete(subscription.table.oid);
    }
    this.byReceiver.delete(receiverId);
  }

  /** Removes one binding's subscription, leaving the receiver's others. */
  drop(subscription: PostgresSubscription): void {
    const set = this.byTable.get(subscription.table.oid);
    set?.delete(subscription);
    if (set?.size === 0) this.byTable.delete(subscription.table.oid);
    const remaining = (this.byReceiver.get(subscription.receiver.id) ?? []).filter(
      (candidate) => candidate !== subscription,
    );
    if (remaining.length > 0) this.byReceiver.set(subscription.receiver.id, remaining);
    else this.byReceiver.delete(subscription.receiver.id);
  }

  forTable(tableOid: number): Iterable<PostgresSubscription> {
    return this.byTable.get(tableOid) ?? [];
  }

  get size(): number {
    return this.byReceiver.size;
  }
}
