/**
 * The wire contract of a streaming reply, shared by the chat engine (sender) and the browser (receiver):
 * the delta event and its compact payload, the reply statuses. The topic it travels on is replyTopic
 * (./realtime-topics.ts).
 *
 * Deltas are the bulk of a project's Realtime traffic, so the payload is small: one-letter keys, the reply id
 * as 22 base64url characters instead of a 36-character UUID, nothing a receiver can derive. The engine sends
 * each delta through Realtime's single-message REST endpoint, which reaches vsn-2 sockets (supabase-js
 * 2.x's default) as a binary user-broadcast frame: no JSON envelope around the payload.
 */

/** Statuses of an assistant row; only `streaming` still receives deltas. */
export const REPLY_STATUSES = ['streaming', 'complete', 'stopped', 'error', 'interrupted'] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

/** Broadcast event name of a delta: one letter, since it travels in every frame. */
export const REPLY_DELTA_EVENT = 'd';

/** A delta as sender and receiver use it. */
export interface ReplyDelta {
  messageId: string;
  /** 1 for the first delta of a reply, then +1 without gaps. */
  seq: number;
  text: string;
}

/** A delta as it travels: `{ i: reply id (base64url), s: seq, t: text }`. */
export interface ReplyDeltaPayload {
  i: string;
  s: number;
  t: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL_INDEX = new Map([...BASE64URL].map((char, index) => [char, index]));

/** 16 bytes of a UUID as 22 base64url characters (no padding); other ids travel as they are. */
export function compactId(id: string): string {
  if (!UUID.test(id)) return id;
  const hex = id.replaceAll('-', '');
  let bits = 0;
  let value = 0;
  let out = '';
  for (const digit of hex) {
    value = (value << 4) | Number.parseInt(digit, 16);
    bits += 4;
    if (bits >= 6) {
      bits -= 6;
      out += BASE64URL[(value >> bits) & 63];
    }
  }
  // 128 bits = 21 characters of 6 bits + 2 bits left, shifted up to a 22nd character
  if (bits > 0) out += BASE64URL[(value << (6 - bits)) & 63];
  return out;
}

/** The inverse of compactId: a 22-character base64url id back to the UUID it came from. */
export function expandId(id: string): string {
  if (id.length !== 22) return id;
  let bits = 0;
  let value = 0;
  let hex = '';
  for (const char of id) {
    const index = BASE64URL_INDEX.get(char);
    if (index === undefined) return id;
    value = ((value << 6) | index) & 0xffff;
    bits += 6;
    while (bits >= 4 && hex.length < 32) {
      bits -= 4;
      hex += ((value >> bits) & 15).toString(16);
    }
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function encodeReplyDelta(delta: ReplyDelta): ReplyDeltaPayload {
  return { i: compactId(delta.messageId), s: delta.seq, t: delta.text };
}

/** Reads a received payload; null when it is not a delta (a receiver ignores what it cannot place). */
export function decodeReplyDelta(payload: unknown): ReplyDelta | null {
  if (!payload || typeof payload !== 'object') return null;
  const { i, s, t } = payload as Partial<ReplyDeltaPayload>;
  if (typeof i !== 'string' || typeof t !== 'string' || !Number.isSafeInteger(s) || (s as number) < 1)
    return null;
  return { messageId: expandId(i), seq: s as number, text: t };
}
