import 'server-only';
import http from 'node:http';
import https from 'node:https';

/** What subscribers of `chat:<sessionId>` receive as event `delta`. */
export interface ReplyDelta {
  messageId: string;
  /** 1 for the first delta of a reply, then +1 without gaps. */
  seq: number;
  text: string;
}

export interface DeltaPublisherOptions {
  /** The Supabase (or local realtime) project URL, e.g. http://127.0.0.1:54321 */
  supabaseUrl: string;
  serviceRoleKey: string;
  onError?: (error: unknown) => void;
}

export interface PublisherStats {
  requests: number;
  /** Request bodies sent, bytes. */
  bodyBytes: number;
  /** Request lines and headers sent, bytes. */
  headBytes: number;
  deltas: number;
  dropped: number;
}

interface Pending {
  topic: string;
  delta: ReplyDelta;
  done: () => void;
}

const MAX_ATTEMPTS = 3;
const MAX_BATCH = 500;

/**
 * Sends deltas to Realtime's REST broadcast endpoint (REALTIME-PROTOCOL.md §5.4) over ONE keep-alive
 * connection, so a delta costs no handshake. Requests go one at a time: whatever queues up while one is in
 * flight leaves together in the next batch — the first delta of an idle engine goes at once, busy engines
 * batch by themselves, and order is kept (a single socket cannot overtake itself).
 */
export class DeltaPublisher {
  private readonly queue: Pending[] = [];
  private sending = false;
  private readonly agent: http.Agent;
  private readonly url: URL;
  private readonly headers: Record<string, string>;
  readonly stats: PublisherStats = { requests: 0, bodyBytes: 0, headBytes: 0, deltas: 0, dropped: 0 };

  constructor(private readonly options: DeltaPublisherOptions) {
    this.url = new URL('/realtime/v1/api/broadcast', options.supabaseUrl);
    const Agent = this.url.protocol === 'https:' ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: 1, keepAliveMsecs: 10_000 });
    // The key as `apikey` alone is the identity (REALTIME-PROTOCOL.md §5.4); sending it again as a Bearer
    // token would double every request's headers and is refused for non-JWT secret keys.
    this.headers = { 'content-type': 'application/json', apikey: options.serviceRoleKey };
  }

  /** Queues a delta for `chat:<sessionId>`; resolves once Realtime accepted it (or it was given up). */
  publish(sessionId: string, delta: ReplyDelta): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push({ topic: `chat:${sessionId}`, delta, done: resolve });
      if (!this.sending) void this.drain();
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        const body = JSON.stringify({
          messages: batch.map((item) => ({
            topic: item.topic,
            event: 'delta',
            payload: item.delta,
            private: true,
          })),
        });
        const sent = await this.sendWithRetries(body);
        if (sent) this.stats.deltas += batch.length;
        else this.stats.dropped += batch.length;
        for (const item of batch) item.done();
      }
    } finally {
      this.sending = false;
    }
  }

  private async sendWithRetries(body: string): Promise<boolean> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        await this.post(body);
        return true;
      } catch (error) {
        // Lost deltas are not lost text: subscribers see the gap and read the row's checkpoint instead.
        if (attempt === MAX_ATTEMPTS) this.options.onError?.(error);
        else await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
    return false;
  }

  /** Size of the request line and headers Node writes for one publish. */
  private headLength(contentLength: number): number {
    const headers = { ...this.headers, 'content-length': String(contentLength), host: this.url.host };
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    return Buffer.byteLength(
      `POST ${this.url.pathname} HTTP/1.1\r\n${lines.join('')}Connection: keep-alive\r\n\r\n`,
    );
  }

  private post(body: string): Promise<void> {
    const bytes = Buffer.from(body, 'utf8');
    this.stats.requests += 1;
    this.stats.bodyBytes += bytes.length;
    this.stats.headBytes += this.headLength(bytes.length);
    const transport = this.url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...this.headers, 'content-length': String(bytes.length) },
          timeout: 10_000,
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            if (response.statusCode === 202) resolve();
            else reject(new Error(`Realtime broadcast answered ${response.statusCode}`));
          });
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error('Realtime broadcast timed out')));
      request.on('error', reject);
      request.setNoDelay(true);
      request.end(bytes);
    });
  }
}
