import WebSocket from 'ws';

/**
 * A bare websocket for what supabase-js cannot send (malformed frames, fuzz). Functional behaviour is tested
 * with supabase-js itself; this only pokes at the edges.
 */
export class RawSocket {
  private readonly received: unknown[] = [];
  private waiters: { predicate: (frame: unknown) => boolean; resolve: (frame: unknown) => void }[] = [];
  closed = false;
  private readonly closing: Promise<void>;
  /** Close code and reason, once the socket closed. */
  closeEvent: { code: number; reason: string } | null = null;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      const frame = isBinary ? data : JSON.parse(data.toString());
      this.received.push(frame);
      for (const waiter of [...this.waiters]) {
        if (waiter.predicate(frame)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(frame);
        }
      }
    });
    this.closing = new Promise((resolve) =>
      socket.on('close', (code, reason) => {
        this.closed = true;
        this.closeEvent = { code, reason: reason.toString() };
        resolve();
      }),
    );
    // A server that closes on us mid-send must not surface as an unhandled error in the test process.
    socket.on('error', () => {});
  }

  static open(baseUrl: string, apikey: string, vsn = '2.0.0'): Promise<RawSocket> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${apikey}&vsn=${vsn}`;
    const socket = new WebSocket(url);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new RawSocket(socket)));
      socket.once('error', reject);
    });
  }

  send(frame: string | Buffer): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(frame);
  }

  /** Bytes handed to the socket but not yet sent (a flood waits here). */
  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  /** The reply to push `ref` (vsn 2 array frames). */
  reply(
    ref: string,
  ): Promise<[string | null, string, string, string, { status: string; response: Record<string, unknown> }]> {
    return this.next(
      (frame) => Array.isArray(frame) && frame[1] === ref && frame[3] === 'phx_reply',
    ) as never;
  }

  count(predicate: (frame: unknown) => boolean): number {
    return this.received.filter(predicate).length;
  }

  next(predicate: (frame: unknown) => boolean): Promise<unknown> {
    const existing = this.received.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  /** Heartbeat round trip: proves the server still serves this socket. */
  async heartbeat(ref: string): Promise<string> {
    this.send(JSON.stringify([null, ref, 'phoenix', 'heartbeat', {}]));
    return (await this.reply(ref))[4].status;
  }

  /** Heartbeat round trip in milliseconds. */
  async heartbeatMs(ref: string): Promise<number> {
    const started = performance.now();
    await this.heartbeat(ref);
    return performance.now() - started;
  }

  /** Resolves when the server (or we) closed the socket. */
  whenClosed(): Promise<void> {
    return this.closing;
  }

  close(): void {
    this.socket.close();
  }

  /** Drops the connection without a close handshake, as a crashed client or a cut cable would. */
  terminate(): void {
    this.socket.terminate();
  }
}
