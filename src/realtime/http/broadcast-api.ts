import type { IncomingMessage, ServerResponse } from 'node:http';
import { BroadcastDelivery } from '../channels/broadcast-delivery';
import { type RoomRegistry, roomKey } from '../channels/room-registry';
import { type DatabaseIdentity, identityOf } from '../database-identity';
import type { JwtVerifier } from '../jwt-verifier';
import type { TopicAuthorization } from '../topic-authorization';
import { BodyTooLargeError, readBody } from './request-body';

export interface BroadcastApiContext {
  verifier: JwtVerifier;
  authorization: TopicAuthorization;
  rooms: RoomRegistry;
  maxPayloadBytes: number;
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-max-age': '86400',
};

const SINGLE_PATH = /^\/api\/broadcast\/([^/]+)\/events\/([^/]+)$/;

/**
 * REST broadcast (REALTIME-PROTOCOL.md §5.4, §5.5). Returns false when the path is not ours. The service
 * key path costs no database round trip: its role bypasses RLS, which is looked up once.
 */
export async function handleBroadcastApi(
  context: BroadcastApiContext,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<boolean> {
  const single = SINGLE_PATH.exec(path);
  if (path !== '/api/broadcast' && !single) return false;
  if (request.method === 'OPTIONS') {
    const allowHeaders =
      request.headers['access-control-request-headers'] ?? 'authorization, apikey, content-type';
    respond(response, 204, undefined, { 'access-control-allow-headers': allowHeaders });
    return true;
  }
  if (request.method !== 'POST') {
    respond(response, 405, { message: 'Method not allowed' });
    return true;
  }
  const identity = await authenticate(context.verifier, request);
  if (!identity) {
    request.resume();
    respond(response, 401, { message: 'Unauthorized' });
    return true;
  }
  let body: Buffer;
  try {
    // A batch may carry many payloads; each is held to the limit below.
    body = await readBody(request, single ? context.maxPayloadBytes : context.maxPayloadBytes * 10);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    respond(response, 413, { message: `Payload exceeds ${context.maxPayloadBytes} bytes` });
    return true;
  }
  if (single) {
    const [, topic = '', event = ''] = single;
    await sendSingle(
      context,
      identity,
      request,
      response,
      decodeURIComponent(topic),
      decodeURIComponent(event),
      query,
      body,
    );
  } else await sendBatch(context, identity, response, body);
  return true;
}

async function authenticate(
  verifier: JwtVerifier,
  request: IncomingMessage,
): Promise<DatabaseIdentity | null> {
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const apikey = request.headers.apikey;
  const token = bearer ?? (typeof apikey === 'string' ? apikey : undefined);
  if (!token) return null;
  const verification = await verifier.verify(token);
  return verification.ok ? identityOf(verification.claims) : null;
}

async function sendSingle(
  context: BroadcastApiContext,
  identity: DatabaseIdentity,
  request: IncomingMessage,
  response: ServerResponse,
  topic: string,
  event: string,
  query: URLSearchParams,
  body: Buffer,
): Promise<void> {
  const isPrivate = query.get('private') === 'true';
  const isJson = !(request.headers['content-type'] ?? '').startsWith('application/octet-stream');
  if (isJson && !isJsonText(body)) return respond(response, 422, { message: 'body is not valid JSON' });
  if (isPrivate && !(await context.authorization.canWrite(identity, topic, 'broadcast'))) {
    return respond(response, 403, { message: 'Unauthorized' });
  }
  const delivery = new BroadcastDelivery(`realtime:${topic}`, event, {
    origin: 'user',
    encoding: isJson ? 1 : 0,
    bytes: body,
  });
  context.rooms.broadcast(roomKey(isPrivate, topic), delivery);
  respond(response, 202);
}

interface BatchMessage {
  topic: string;
  event: string;
  payload: Record<string, unknown>;
  private: boolean;
  id?: string;
}

async function sendBatch(
  context: BroadcastApiContext,
  identity: DatabaseIdentity,
  response: ServerResponse,
  body: Buffer,
) {
  const parsed = parseBatch(body, context.maxPayloadBytes);
  if ('errors' in parsed) return respond(response, 422, { errors: { messages: parsed.errors } });
  const allowedPrivateTopics = new Map<string, Promise<boolean>>();
  for (const message of parsed.messages) {
    if (message.private) {
      let allowed = allowedPrivateTopics.get(message.topic);
      if (!allowed) {
        allowed = context.authorization.canWrite(identity, message.topic, 'broadcast');
        allowedPrivateTopics.set(message.topic, allowed);
      }
      // Not allowed: dropped silently, still 202, as in Supabase.
      if (!(await allowed)) continue;
    }
    const meta = message.id === undefined ? undefined : { id: message.id };
    const delivery = new BroadcastDelivery(`realtime:${message.topic}`, message.event, {
      origin: 'json',
      payload: message.payload,
      meta,
    });
    context.rooms.broadcast(roomKey(message.private, message.topic), delivery);
  }
  respond(response, 202);
}

function parseBatch(
  body: Buffer,
  maxPayloadBytes: number,
): { messages: BatchMessage[] } | { errors: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { errors: ['body is not valid JSON'] };
  }
  const messages = (parsed as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(messages)) return { errors: ['messages must be a list'] };
  const errors: string[] = [];
  const valid: BatchMessage[] = [];
  messages.forEach((candidate, index) => {
    const message = (candidate ?? {}) as Record<string, unknown>;
    const problems: string[] = [];
    if (typeof message.topic !== 'string' || message.topic === '') problems.push('topic is required');
    if (typeof message.event !== 'string' || message.event === '') problems.push('event is required');
    if (!message.payload || typeof message.payload !== 'object' || Array.isArray(message.payload)) {
      problems.push('payload must be an object');
    } else if (JSON.stringify(message.payload).length > maxPayloadBytes)
      problems.push('payload is too large');
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

function isJsonText(body: Buffer): boolean {
  try {
    JSON.parse(body.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

function respond(
  response: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    ...CORS_HEADERS,
    ...headers,
    ...(text ? { 'content-type': 'application/json' } : {}),
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
