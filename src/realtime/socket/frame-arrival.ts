import type { RealtimeLimits } from '../realtime-limits';
import { exceedsJsonDepth } from './json-depth';
import {
  type DecodedFrame,
  decodeBinaryFrame,
  decodeTextFrame,
  type PhoenixMessage,
  type ProtocolVersion,
  peekEnvelope,
} from './phoenix-frame';

/** A frame refused on arrival: its error reply is all that is kept of it. */
export interface Refusal {
  kind: 'refused';
  envelope: Partial<PhoenixMessage>;
  reason: string;
}

/**
 * Decodes a frame only once its size and nesting depth are known to be within the limits: a frame that is
 * too large or too deep is never parsed (JSON.parse of 5 MB of brackets takes seconds), only refused.
 */
export function decodeOnArrival(
  data: Buffer,
  isBinary: boolean,
  version: ProtocolVersion,
  limits: Pick<RealtimeLimits, 'maxPayloadBytes' | 'maxJsonDepth'>,
): DecodedFrame | Refusal {
  const tooLarge = `PayloadTooLarge: payload exceeds ${limits.maxPayloadBytes} bytes`;
  const tooDeep = `PayloadTooDeep: payload nests deeper than ${limits.maxJsonDepth} levels`;
  if (!isBinary) {
    if (data.length > limits.maxPayloadBytes) {
      return { kind: 'refused', envelope: peekEnvelope(data, version), reason: tooLarge };
    }
    if (exceedsJsonDepth(data, limits.maxJsonDepth)) {
      return { kind: 'refused', envelope: peekEnvelope(data, version), reason: tooDeep };
    }
    return decodeTextFrame(data.toString('utf8'), version);
  }
  if (version !== '2.0.0') return { kind: 'invalid', reason: 'binary frames need vsn 2.0.0' };
  const frame = decodeBinaryFrame(data);
  if (frame.kind !== 'user-broadcast') return frame;
  if (data.length > limits.maxPayloadBytes)
    return { kind: 'refused', envelope: frame.push, reason: tooLarge };
  // Raw-byte payloads (encoding 0) are never parsed as JSON, by us or by receivers.
  if (frame.push.encoding === 1 && exceedsJsonDepth(frame.push.payload, limits.maxJsonDepth)) {
    return { kind: 'refused', envelope: frame.push, reason: tooDeep };
  }
  return frame;
}
