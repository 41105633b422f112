/**
 * Collects events and lets a test wait for one matching a predicate. Negative assertions ("B's row never
 * arrives") use a sentinel: the server delivers in commit order, so once a row committed later arrives,
 * anything committed before it that was going to arrive has arrived.
 */
export class EventInbox<T> {
  readonly events: T[] = [];
  private waiters: { predicate: (event: T) => boolean; resolve: (event: T) => void }[] = [];

  readonly push = (event: T): void => {
    this.events.push(event);
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(event)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  };

  next(predicate: (event: T) => boolean = () => true): Promise<T> {
    const existing = this.events.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  count(predicate: (event: T) => boolean): number {
    return this.events.filter(predicate).length;
  }
}
