import 'server-only';
import http from 'node:http';
import https from 'node:https';
import { replyTopic } from '@/shared/realtime-topics';
import {
  encodeReplyDelta,
  REPLY_DELTA_EVENT,
  type ReplyDelta,
  type ReplyDeltaPayload,
} from '@/shared/reply-stream';

export type { ReplyDelta } from '@/shared/reply-stream';

export interface DeltaPublisherOptions {
  /** The Supabase (or local realtime) project URL, e.g. http://127.0.0.1:54321 */
  supabaseUrl: string;
  serviceRoleKey: string;
  onError?: (error: unknown) => void;
  /** Keep-alive connections to Realtime; a session's deltas always use the same one. */
  lanes?: number;
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
  payload: ReplyDeltaPayload;
  done: () => void;
}

const MAX_ATTEMPTS = 3;
const DEFAULT_LANES = 4;
const MAX_BATCH = 500;
/** Text per batch request, well under Realtime's body limit (10 × its payload limit for a batch). */
const MAX_BATCH_CHARS = 200_000;

/** The queue's head: up to MAX_BATCH deltas and MAX_BATCH_CHARS of text, at least one. */
function takeBatch(queue: Pending[]): Pending[] {
  let count = 0;
  let chars = 0;
  for (const item of queue) {
    if (count > 0 && (count >= MAX_BATCH || chars + item.payload.t.length > MAX_BATCH_CHARS)) break;
    count += 1;
    chars += item.payload.t.length;
  }
  return queue.splice(0, count);
}

interface Request {
  path: string;
  body: Buffer;
}

/** A queue with its own keep-alive connection: requests leave one at a time, so its deltas stay in order. */
class Lane {
  readonly queue: Pending[] = [];
  sending = false;
  readonly agent: http.Agent;

  constructor(secure: boolean) {
    const Agent = secure ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: 1, keepAliveMsecs: 10_000 });
  }
}

/**
 * Sends deltas to Realtime over a few keep-alive connections ("lanes"; a session always uses the same one, and
 * a lane sends one request at a time, so a session's deltas arrive in order and cost no handshake).
 * A lone delta goes to the single-message endpoint (REALTIME-PROTOCOL.md §5.5), which reaches vsn-2 sockets
 * as a binary user-broadcast frame: the compact payload with nothing around it but topic and event. Deltas
 * that queued up while the lane was busy (a loaded engine: hundreds of streams) leave together in one batch
 * request (§5.4), delivered as JSON frames: a little larger, but one request for many, so the lane keeps up.
 */
export class DeltaPublisher {
  private readonly lanes: Lane[];
  private readonly base: URL;
  private readonly headers: Record<string, string>;
  private readonly transport: typeof http | typeof https;
  /** Bytes of a request line and headers apart from the path and content-length digits. */
  private readonly fixedHeadBytes: number;
  readonly stats: PublisherStats = { requests: 0, bodyBytes: 0, headBytes: 0, deltas: 0, dropped: 0 };

  constructor(private readonly options: DeltaPublisherOptions) {
    this.base = new URL('/realtime/v1/api/broadcast/', options.supabaseUrl);
    const secure = this.base.protocol === 'https:';
    this.transport = secure ? https : http;
    this.lanes = Array.from({ length: options.lanes ?? DEFAULT_LANES }, () => new Lane(secure));
    // The key as `apikey` alone is the identity (REALTIME-PROTOCOL.md §5.4); sending it again as a Bearer
    // token would double every request's headers and is refused for non-JWT secret keys.
    this.headers = { 'content-type': 'application/json', apikey: options.serviceRoleKey };
    this.fixedHeadBytes = Buffer.byteLength(
      `POST  HTTP/1.1\r\n${Object.entries({ ...this.headers, host: this.base.host, 'content-length': '' })
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('')}Connection: keep-alive\r\n\r\n`,
    );
  }

  /** Queues a delta for the session's topic; resolves once Realtime accepted it (or it was given up). */
  publish(sessionId: string, delta: ReplyDelta): Promise<void> {
    const lane = this.laneOf(sessionId);
    return new Promise((resolve) => {
      lane.queue.push({ topic: replyTopic(sessionId), payload: encodeReplyDelta(delta), done: resolve });
      if (!lane.sending) void this.drain(lane);
    });
  }

  close(): void {
    for (const lane of this.lanes) lane.agent.destroy();
  }

  private laneOf(sessionId: string): Lane {
    let hash = 0;
    for (let index = 0; index < sessionId.length; index++)
      hash = (hash * 31 + sessionId.charCodeAt(index)) | 0;
    return this.lanes[Math.abs(hash) % this.lanes.length] as Lane;
  }

  private async drain(lane: Lane): Promise<void> {
    lane.sending = true;
    try {
      while (lane.queue.length > 0) {
        const batch = takeBatch(lane.queue);
        const sent = await this.sendWithRetries(lane, this.requestFor(batch));
        if (sent) this.stats.deltas += batch.length;
        else this.stats.dropped += batch.length;
        for (const item of batch) item.done();
      }
    } finally {
      lane.sending = false;
    }
  }

  private requestFor(batch: Pending[]): Request {
    const [only] = batch;
    if (batch.length === 1 && only) {
      const topic = encodeURIComponent(only.topic);
      return {
        path: `${this.base.pathname}${topic}/events/${REPLY_DELTA_EVENT}?private=true`,
        body: Buffer.from(JSON.stringify(only.payload), 'utf8'),
      };
    }
    const messages = batch.map((item) => ({
      topic: item.topic,
      event: REPLY_DELTA_EVENT,
      payload: item.payload,
      private: true,
    }));
    return { path: this.base.pathname.slice(0, -1), body: Buffer.from(JSON.stringify({ messages }), 'utf8') };
  }

  private async sendWithRetries(lane: Lane, item: Request): Promise<boolean> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        await this.post(lane, item);
        return true;
      } catch (error) {
        // Lost deltas are not lost text: subscribers see the gap and read the row's checkpoint instead.
        if (attempt === MAX_ATTEMPTS) this.options.onError?.(error);
        else await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
    return false;
  }

  private post(lane: Lane, { path, body }: Request): Promise<void> {
    const contentLength = String(body.length);
    this.stats.requests += 1;
    this.stats.bodyBytes += body.length;
    this.stats.headBytes += this.fixedHeadBytes + path.length + contentLength.length;
    return new Promise((resolve, reject) => {
      const request = this.transport.request(
        {
          protocol: this.base.protocol,
          hostname: this.base.hostname,
          port: this.base.port,
          path,
          method: 'POST',
          agent: lane.agent,
          headers: { ...this.headers, 'content-length': contentLength },
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
      request.end(body);
    });
  }
}
