import { BroadcastDelivery } from '../channels/broadcast-delivery';
import { type RoomRegistry, roomKey } from '../channels/room-registry';
import type { DatabaseIdentity } from '../database-identity';
import type { RealtimeLimits } from '../realtime-limits';
import type { TopicAuthorization } from '../topic-authorization';

interface BatchMessage {
  topic: string;
  event: string;
  payload: Record<string, unknown>;
  private: boolean;
  id?: string;
}

export type BatchOutcome = { status: 202 } | { status: 422 | 429; body: unknown };

/**
 * `POST /api/broadcast` (REALTIME-PROTOCOL.md §5.4). A caller subject to RLS may send at most
 * `maxBroadcastMessagesPerRequest` messages to at most `maxPrivateTopicsPerRequest` distinct private topics;
 * the private topics are authorised together, once each, in one transaction. The service role (a server
 * secret that bypasses RLS) is held only to the body size, as the chat engine batches many streams.
 */
export async function sendBatch(
  context: { authorization: TopicAuthorization; rooms: RoomRegistry; limits: RealtimeLimits },
  identity: DatabaseIdentity,
  body: Buffer,
): Promise<BatchOutcome> {
  const { limits } = context;
  const trusted = await context.authorization.bypassesRls(identity);
  const parsed = parseBatch(
    body,
    limits.maxPayloadBytes,
    trusted ? Infinity : limits.maxBroadcastMessagesPerRequest,
  );
  if ('tooMany' in parsed) {
    // Supabase's answer when a batch would take the tenant over its events per second.
    return { status: 429, body: { message: 'Too many messages to broadcast, please reduce the batch size' } };
  }
  if ('errors' in parsed) return { status: 422, body: { errors: { messages: parsed.errors } } };

  const privateTopics = [
    ...new Set(parsed.messages.filter((message) => message.private).map((m) => m.topic)),
  ];
  if (!trusted && privateTopics.length > limits.maxPrivateTopicsPerRequest) {
    return {
      status: 429,
      body: {
        message: `Too many private topics in one request (at most ${limits.maxPrivateTopicsPerRequest})`,
      },
    };
  }
  const writable = await context.authorization.writableTopics(identity, privateTopics);
  for (const message of parsed.messages) {
    // Not allowed: dropped silently, still 202, as in Supabase.
    if (message.private && !writable.has(message.topic)) continue;
    const meta = message.id === undefined ? undefined : { id: message.id };
    const delivery = new BroadcastDelivery(`realtime:${message.topic}`, message.event, {
      origin: 'json',
      payload: message.payload,
      meta,
    });
    context.rooms.broadcast(roomKey(message.private, message.topic), delivery);
  }
  return { status: 202 };
}

function parseBatch(
  body: Buffer,
  maxPayloadBytes: number,
  maxMessages: number,
): { messages: BatchMessage[] } | { errors: string[] } | { tooMany: true } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { errors: ['body is not valid JSON'] };
  }
  const messages = (parsed as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(messages)) return { errors: ['messages must be a list'] };
  if (messages.length > maxMessages) return { tooMany: true };
  const errors: string[] = [];
  const valid: BatchMessage[] = [];
  messages.forEach((candidate, index) => {
    const message = (candidate ?? {}) as Record<string, unknown>;
    const problems: string[] = [];
    if (typeof message.topic !== 'string' || message.topic === '') problems.push('topic is required');
    if (typeof message.event !== 'string' || message.event === '') problems.push('event is required');
    if (!message.payload || typeof message.payload !== 'object' || Array.isArray(message.payload)) {
      problems.push('payload must be an object');
    } else if (Buffer.byteLength(JSON.stringify(message.payload)) > maxPayloadBytes)
      problems.push('Payload size exceeds tenant limit');
    if (message.private !== undefined && typeof message.private !== 'boolean')
      problems.push('private must be a boolean');
    if (problems.length > 0) errors.push(`message ${index}: ${problems.join(', ')}`);
    else {
      valid.push({
        topic: message.topic as string,
        event: message.event as string,
        payload: message.payload as Record<string, unknown>,
        private: message.private === true,
        id: message.id === undefined || message.id === null ? undefined : String(message.id),
      });
    }
  });
  return errors.length > 0 ? { errors } : { messages: valid };
}
