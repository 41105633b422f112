import { randomUUID } from 'node:crypto';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { type AssembledReply, ReplyAssembler, type ReplyDeltaEvent } from '@/client/reply-assembler';
import { replyTopic } from '@/shared/realtime-topics';
import { decodeReplyDelta, REPLY_DELTA_EVENT } from '@/shared/reply-stream';
import { callerFor, type TestUser } from '../../helpers/users';
import { EventInbox } from '../../realtime/support/event-inbox';
import { clientFor } from '../../realtime/support/realtime-fixture';

/**
 * A browser tab, as the UI will build it: a real supabase-js client signed in with the user's realtime token
 * (from `realtime.token`), subscribed to the session's private delta topic and to its rows, feeding the
 * reply assembler; on a gap it asks chat.replyProgress (else refetches through messages.list).
 */
export class ReplySubscriber {
  readonly deltas = new EventInbox<ReplyDeltaEvent>();
  readonly settled = new EventInbox<AssembledReply>();
  readonly gaps: number[] = [];
  /** SUBSCRIBED callbacks so far (1 + re-joins). */
  joins = 0;
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
      // As the app does (src/client/use-chat-controller.ts): the text so far, else the rows again.
      onGap: (messageId, missing) => {
        this.gaps.push(missing);
        void callerFor(this.user.headers)
          .then((caller) => caller.chat.replyProgress({ messageId }))
          .then((progress) => this.assembler.applyRow(progress))
          .catch(() => this.refetch());
      },
    });
  }

  /**
   * Subscribes first, then reads the rows; after every re-join (a dropped socket reconnects by itself) it
   * reads them again, since what was sent while it was away is gone.
   */
  static async open(user: TestUser, sessionId: string): Promise<ReplySubscriber> {
    const { token } = await (await callerFor(user.headers)).realtime.token();
    const client = await clientFor(token);
    const channel = client.channel(replyTopic(sessionId), { config: { private: true } });
    const subscriber = new ReplySubscriber(client, channel, user, sessionId);
    channel
      .on('broadcast', { event: REPLY_DELTA_EVENT }, ({ payload }) => {
        const delta = decodeReplyDelta(payload);
        if (delta) subscriber.onDelta(delta);
      })
      .on(
        'postgres_changes',
        { event: '*', schema: 'public', table: 'chat_messages', filter: `session_id=eq.${sessionId}` },
        (change) => {
          const row = change.new as Record<string, unknown>;
          if (row?.id && row.role === 'assistant') subscriber.assembler.applyRow(row as never);
        },
      );
    await new Promise<void>((resolve, reject) => {
      channel.subscribe((status, error) => {
        if (status === 'SUBSCRIBED') {
          subscriber.joins += 1;
          void subscriber.refetch().then(resolve, reject);
        } else if (subscriber.joins === 0 && status !== 'CLOSED') {
          reject(new Error(`${status}: ${error?.message ?? ''}`));
        }
      });
    });
    return subscriber;
  }

  /** Reads the session's rows (the snapshot step after subscribing). */
  async refetch(): Promise<void> {
    const page = await (await callerFor(this.user.headers)).messages.list({
      sessionId: this.sessionId,
      limit: 200,
    });
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
}

/** A fresh clientMessageId, as the browser makes one per message. */
export function clientMessageId(): string {
  return randomUUID();
}
