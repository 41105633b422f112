import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import { DEMO_ANON_KEY } from '../src/env';
import { replyTopic } from '../src/shared/realtime-topics';
import { type ReplyDelta as Delta, decodeReplyDelta, REPLY_DELTA_EVENT } from '../src/shared/reply-stream';

/** One browser for the chat engine bench: a supabase-js client with the user's realtime token, counting delta frame bytes. */
export class Subscriber {
  readonly received = new Map<string, { delta: Delta; at: number }[]>();
  wireBytes = 0;
  private waiters: { messageId: string; seq: number; resolve: () => void }[] = [];

  private constructor(readonly client: SupabaseClient) {}

  static async open(url: string, token: string, anonKey = DEMO_ANON_KEY): Promise<Subscriber> {
    const client = createClient(url, anonKey, { accessToken: async () => token });
    await client.realtime.setAuth();
    return new Subscriber(client);
  }

  async follow(sessionId: string): Promise<RealtimeChannel> {
    const channel = this.client
      .channel(replyTopic(sessionId), { config: { private: true } })
      .on('broadcast', { event: REPLY_DELTA_EVENT }, ({ payload }) => {
        const delta = decodeReplyDelta(payload);
        if (delta) this.onDelta(delta);
      });
    await new Promise<void>((resolve, reject) =>
      channel.subscribe((status, error) => {
        if (status === 'SUBSCRIBED') resolve();
        else if (status !== 'CLOSED') reject(new Error(`${status} ${error?.message ?? ''}`));
      }),
    );
    const conn = (
      this.client.realtime as unknown as { socketAdapter: { socket: { conn: WebSocket | null } } }
    ).socketAdapter.socket.conn;
    if (conn && !(conn as unknown as { counted?: boolean }).counted) {
      (conn as unknown as { counted?: boolean }).counted = true;
      conn.addEventListener('message', (event: MessageEvent) => {
        const data = event.data as string | ArrayBuffer;
        const text = typeof data === 'string' ? data : '';
        // Deltas arrive as binary user-broadcast frames on vsn 2; as JSON text they name the event.
        if (typeof data !== 'string' || text.includes(`"event":"${REPLY_DELTA_EVENT}"`)) {
          this.wireBytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
        }
      });
    }
    return channel;
  }

  waitFor(messageId: string, seq: number): Promise<void> {
    if (this.received.get(messageId)?.some((r) => r.delta.seq >= seq)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ messageId, seq, resolve }));
  }

  /** Resolves true once the deltas of `messageId` carry `chars` characters, false after `timeoutMs`. */
  async waitForChars(messageId: string, chars: number, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    const received = () =>
      (this.received.get(messageId) ?? []).reduce((sum, { delta }) => sum + delta.text.length, 0);
    while (received() < chars) {
      if (performance.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
  }

  private onDelta(delta: Delta): void {
    const at = performance.now();
    const list = this.received.get(delta.messageId) ?? [];
    list.push({ delta, at });
    this.received.set(delta.messageId, list);
    for (const waiter of [...this.waiters]) {
      if (waiter.messageId === delta.messageId && delta.seq >= waiter.seq) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}
