import { encodeFanOutFrame, encodeUserBroadcastFrame, type ProtocolVersion } from '../socket/phoenix-frame';

/**
 * One broadcast on its way to every member of a room. Frames are built lazily, once per protocol version,
 * so a room of N sockets costs one serialization, not N.
 */
export type BroadcastBody =
  /** JSON origin (vsn-1 client, JSON push, REST batch): `{type, event, payload[, meta]}` to everyone. */
  | { origin: 'json'; payload: unknown; meta?: Record<string, unknown> }
  /**
   * User-broadcast origin (kind-3 frame, REST single, realtime.messages rows): kind 4 to vsn 2, JSON to vsn 1
   * (bytes: not at all). Rows from the database carry `meta.id` (and `meta.replayed` when replayed).
   */
  | { origin: 'user'; encoding: 0 | 1; bytes: Buffer; meta?: Record<string, unknown> };

export class BroadcastDelivery {
  private readonly frames = new Map<ProtocolVersion, string | Buffer | null>();

  constructor(
    readonly topic: string,
    readonly event: string,
    readonly body: BroadcastBody,
    /** The realtime.messages id of a broadcast from the database: a channel skips one it already replayed. */
    readonly messageId?: string,
  ) {}

  /** The frame for a receiver speaking `version`, or null when that receiver cannot be sent this broadcast. */
  frameFor(version: ProtocolVersion): string | Buffer | null {
    if (!this.frames.has(version)) this.frames.set(version, this.buildFrame(version));
    return this.frames.get(version) ?? null;
  }

  private buildFrame(version: ProtocolVersion): string | Buffer | null {
    const body = this.body;
    if (body.origin === 'json') {
      const message = {
        type: 'broadcast',
        event: this.event,
        payload: body.payload,
        ...(body.meta ? { meta: body.meta } : {}),
      };
      return encodeFanOutFrame(version, this.topic, 'broadcast', JSON.stringify(message));
    }
    const metaJson = body.meta ? JSON.stringify(body.meta) : '';
    if (version === '2.0.0') {
      const frame = encodeUserBroadcastFrame(this.topic, this.event, metaJson, body.encoding, body.bytes);
      if (frame) return frame;
    }
    if (body.encoding === 0) return null;
    const payloadJson = this.validJsonText();
    if (payloadJson === null) return null;
    const eventJson = JSON.stringify(this.event);
    const meta = metaJson === '' ? '' : `,"meta":${metaJson}`;
    return encodeFanOutFrame(
      version,
      this.topic,
      'broadcast',
      `{"type":"broadcast","event":${eventJson},"payload":${payloadJson}${meta}}`,
    );
  }

  private validJsonText(): string | null {
    if (this.body.origin !== 'user') return null;
    const text = this.body.bytes.toString('utf8');
    try {
      JSON.parse(text);
      return text;
    } catch {
      return null;
    }
  }
}
