/**
 * Phoenix channel framing as realtime-js speaks it: JSON text frames (vsn 1.0.0 objects, vsn 2.0.0 arrays) and
 * the binary user-broadcast frames of vsn 2.0.0 (kind 3 in, kind 4 out). See REALTIME-PROTOCOL.md §2.
 */
export type ProtocolVersion = '1.0.0' | '2.0.0';

export interface PhoenixMessage {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

/** A client broadcast that arrived as a kind-3 frame: its payload stays bytes until a receiver needs JSON. */
export interface UserBroadcastPush {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  userEvent: string;
  /** 1 = payload is UTF-8 JSON text, 0 = raw bytes. */
  encoding: 0 | 1;
  payload: Buffer;
}

export type DecodedFrame =
  | { kind: 'message'; message: PhoenixMessage }
  | { kind: 'user-broadcast'; push: UserBroadcastPush }
  | { kind: 'invalid'; reason: string; partial?: Partial<PhoenixMessage> };

const USER_BROADCAST_PUSH = 3;
const USER_BROADCAST = 4;

export function parseProtocolVersion(value: string | null): ProtocolVersion {
  return value === '2.0.0' ? '2.0.0' : '1.0.0';
}

export function decodeTextFrame(text: string, version: ProtocolVersion): DecodedFrame {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'frame is not JSON' };
  }
  const fields = version === '2.0.0' ? fieldsOfArray(parsed) : fieldsOfObject(parsed);
  if (!fields) return { kind: 'invalid', reason: `frame is not a vsn ${version} message` };
  const [joinRef, ref, topic, event, payload] = fields;
  const partial = { ref: asRef(ref), topic: typeof topic === 'string' ? topic : undefined };
  if (!isRef(joinRef) || !isRef(ref))
    return { kind: 'invalid', reason: 'join_ref and ref must be strings', partial };
  if (typeof topic !== 'string' || typeof event !== 'string') {
    return { kind: 'invalid', reason: 'topic and event must be strings', partial };
  }
  return { kind: 'message', message: { joinRef: asRef(joinRef), ref: asRef(ref), topic, event, payload } };
}

function fieldsOfArray(parsed: unknown): unknown[] | null {
  // Trailing extra elements are tolerated, as the Realtime server does.
  return Array.isArray(parsed) && parsed.length >= 5 ? parsed.slice(0, 5) : null;
}

function fieldsOfObject(parsed: unknown): unknown[] | null {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const message = parsed as Record<string, unknown>;
  return [message.join_ref, message.ref, message.topic, message.event, message.payload];
}

function isRef(value: unknown): boolean {
  return value === null || value === undefined || typeof value === 'string' || typeof value === 'number';
}

function asRef(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

const SCALAR = String.raw`(null|-?\d+|"(?:[^"\\]|\\.)*")`;
const STRING = String.raw`("(?:[^"\\]|\\.)*")`;
const VSN2_ENVELOPE = new RegExp(
  String.raw`^\s*\[\s*${SCALAR}\s*,\s*${SCALAR}\s*,\s*${STRING}\s*,\s*${STRING}\s*,`,
);
const PEEK_BYTES = 1024;

/**
 * join_ref, ref and topic of a frame that will not be parsed (too large, too deep), so its error reply can
 * name the push. Read from the first kilobyte of a vsn 2.0.0 array; a vsn 1.0.0 object may list its keys in
 * any order (supabase-js puts `payload` before `ref`), so its refusal goes to topic `phoenix`, ref null.
 */
export function peekEnvelope(frame: Buffer, version: ProtocolVersion): Partial<PhoenixMessage> {
  if (version !== '2.0.0') return {};
  const match = VSN2_ENVELOPE.exec(frame.toString('utf8', 0, Math.min(frame.length, PEEK_BYTES)));
  if (!match) return {};
  try {
    const [joinRef, ref, topic] = match.slice(1, 4).map((token) => JSON.parse(token ?? 'null') as unknown);
    return { joinRef: asRef(joinRef), ref: asRef(ref), topic: typeof topic === 'string' ? topic : undefined };
  } catch {
    return {}; // an invalid escape inside a string
  }
}

export function decodeBinaryFrame(frame: Buffer): DecodedFrame {
  if (frame.length < 1) return { kind: 'invalid', reason: 'empty binary frame' };
  if (frame[0] !== USER_BROADCAST_PUSH)
    return { kind: 'invalid', reason: `unsupported binary frame kind ${frame[0]}` };
  const headerLength = 7;
  if (frame.length < headerLength) return { kind: 'invalid', reason: 'truncated binary frame' };
  const [joinRefLength, refLength, topicLength, eventLength, metaLength, encoding] = frame.subarray(
    1,
    headerLength,
  );
  let offset = headerLength;
  const take = (length = 0): string | null => {
    if (offset + length > frame.length) return null;
    const text = frame.toString('utf8', offset, offset + length);
    offset += length;
    return text;
  };
  const joinRef = take(joinRefLength);
  const ref = take(refLength);
  const topic = take(topicLength);
  const userEvent = take(eventLength);
  const meta = take(metaLength);
  if (joinRef === null || ref === null || topic === null || userEvent === null || meta === null) {
    return { kind: 'invalid', reason: 'truncated binary frame' };
  }
  if (encoding !== 0 && encoding !== 1)
    return { kind: 'invalid', reason: 'unknown payload encoding', partial: { ref, topic } };
  return {
    kind: 'user-broadcast',
    push: {
      joinRef: joinRef || null,
      ref: ref || null,
      topic,
      userEvent,
      encoding,
      payload: frame.subarray(offset),
    },
  };
}

export function encodeTextFrame(version: ProtocolVersion, message: PhoenixMessage): string {
  if (version === '2.0.0') {
    return JSON.stringify([message.joinRef, message.ref, message.topic, message.event, message.payload]);
  }
  // vsn 1.0.0 replies carry no join_ref (Phoenix's V1 serializer).
  return JSON.stringify({
    topic: message.topic,
    event: message.event,
    payload: message.payload,
    ref: message.ref,
  });
}

/** Fan-out frame with an already-serialized payload, so N receivers cost one JSON.stringify. */
export function encodeFanOutFrame(
  version: ProtocolVersion,
  topic: string,
  event: string,
  payloadJson: string,
): string {
  const topicJson = JSON.stringify(topic);
  const eventJson = JSON.stringify(event);
  if (version === '2.0.0') return `[null,null,${topicJson},${eventJson},${payloadJson}]`;
  return `{"topic":${topicJson},"event":${eventJson},"payload":${payloadJson},"ref":null}`;
}

/** Kind-4 frame; every length is one byte, so longer topics/events/meta cannot use this frame. */
export function encodeUserBroadcastFrame(
  topic: string,
  userEvent: string,
  meta: string,
  encoding: 0 | 1,
  payload: Buffer,
): Buffer | null {
  const topicBytes = Buffer.from(topic);
  const eventBytes = Buffer.from(userEvent);
  const metaBytes = Buffer.from(meta);
  if (topicBytes.length > 255 || eventBytes.length > 255 || metaBytes.length > 255) return null;
  const header = Buffer.from([
    USER_BROADCAST,
    topicBytes.length,
    eventBytes.length,
    metaBytes.length,
    encoding,
  ]);
  return Buffer.concat([header, topicBytes, eventBytes, metaBytes, payload]);
}
