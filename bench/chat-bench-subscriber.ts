import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import { DEMO_ANON_KEY } from '../src/env';

export interface Delta {
  messageId: string;
  seq: number;
  text: string;
}

/** One browser for the chat engine bench: a supabase-js client with the user's realtime token, counting delta frame bytes. */
export class Subscriber {
  readonly received = new Map<string, { delta: Delta; at: number }[]>();
  wireBytes = 0;
  private waiters: { messageId: string; seq: number; resolve: () => void }[] = [];

  private constructor(readonly client: SupabaseClient) {}

  static async open(url: string, token: string): Promise<Subscriber> {
    const client = createClient(url, DEMO_ANON_KEY, { accessToken: async () => token });
    await client.realtime.setAuth();
    return new Subscriber(client);
  }

  async follow(sessionId: string): Promise<RealtimeChannel> {
    const channel = this.client
      .channel(`chat:${sessionId}`, { config: { private: true } })
      .on('broadcast', { event: 'delta' }, ({ payload }) => this.onDelta(payload as Delta));
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
        if (text.includes('"delta"') || typeof data !== 'string') {
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
