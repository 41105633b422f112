import { randomUUID } from 'node:crypto';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { type AssembledReply, ReplyAssembler, type ReplyDeltaEvent } from '@/client/reply-assembler';
import { EventInbox } from '../../realtime/support/event-inbox';
import { clientFor, subscribed } from '../../realtime/support/realtime-fixture';
import { callerFor, type TestUser } from '../../helpers/users';

/**
 * A browser tab, as the UI will build it: a real supabase-js client signed in with the user's realtime token
 * (from `realtime.token`), subscribed to the session's private delta topic and to its rows, feeding the
 * reply assembler; on a gap it refetches through messages.list.
 */
export class ReplySubscriber {
  readonly deltas = new EventInbox<ReplyDeltaEvent>();
  readonly settled = new EventInbox<AssembledReply>();
  readonly gaps: number[] = [];
  readonly assembler: ReplyAssembler;
  private constructor(
    readonly client: SupabaseClient,
    readonly channel: RealtimeChannel,
    private readonly user: TestUser,
    private readonly sessionId: string,
  ) {
    this.assembler = new ReplyAssembler({
      onChange: (reply) => {
        if (reply.settled) this.settled.push(reply);
      },
      onGap: (_messageId, missing) => {
        this.gaps.push(missing);
        void this.refetch();
      },
    });
  }

  static async open(user: TestUser, sessionId: string): Promise<ReplySubscriber> {
    const { token } = await (await callerFor(user.headers)).realtime.token();
    const client = await clientFor(token);
    let subscriber: ReplySubscriber | undefined;
    const pendingDeltas: ReplyDeltaEvent[] = [];
    const pendingRows: Record<string, unknown>[] = [];
    const channel = client
      .channel(`chat:${sessionId}`, { config: { private: true } })
      .on('broadcast', { event: 'delta' }, ({ payload }) => {
        const delta = payload as ReplyDeltaEvent;
        if (subscriber) subscriber.onDelta(delta);
        else pendingDeltas.push(delta);
      })
      .on(
        'postgres_changes',
        { event: '*', schema: 'public', table: 'chat_messages', filter: `session_id=eq.${sessionId}` },
        (change) => {
          const row = change.new as Record<string, unknown>;
          if (!row?.id || row.role !== 'assistant') return;
          if (subscriber) subscriber.onRow(row);
          else pendingRows.push(row);
        },
      );
    subscriber = new ReplySubscriber(client, channel, user, sessionId);
    for (const delta of pendingDeltas) subscriber.onDelta(delta);
    for (const row of pendingRows) subscriber.onRow(row);
    await subscribed(channel);
    return subscriber;
  }

  /** Reads the session's rows (the snapshot step after subscribing). */
  async refetch(): Promise<void> {
    const page = await (await callerFor(this.user.headers)).messages.list({ sessionId: this.sessionId, limit: 200 });
    for (const message of page.items) if (message.role === 'assistant') this.assembler.applyRow(message);
  }

  /** Resolves with the settled reply (final row applied). */
  finalReply(messageId: string): Promise<AssembledReply> {
    return this.settled.next((reply) => reply.messageId === messageId);
  }

  /** The concatenated text of the deltas received for `messageId`, in arrival order. */
  deltaText(messageId: string): string {
    return this.deltas.events
      .filter((delta) => delta.messageId === messageId)
      .map((delta) => delta.text)
      .join('');
  }

  async close(): Promise<void> {
    await this.client.removeAllChannels();
    this.client.realtime.disconnect();
  }

  private onDelta(delta: ReplyDeltaEvent): void {
    this.deltas.push(delta);
    this.assembler.applyDelta(delta);
  }

  private onRow(row: Record<string, unknown>): void {
    this.assembler.applyRow(row as never);
  }
}

/** A fresh clientMessageId, as the browser makes one per message. */
export function clientMessageId(): string {
  return randomUUID();
}
