import type { IncomingMessage, ServerResponse } from 'node:http';
import { BroadcastDelivery } from '../channels/broadcast-delivery';
import { type RoomRegistry, roomKey } from '../channels/room-registry';
import { type DatabaseIdentity, identityOf } from '../database-identity';
import type { JwtVerifier } from '../jwt-verifier';
import type { RealtimeLimits } from '../realtime-limits';
import { exceedsJsonDepth } from '../socket/json-depth';
import type { TopicAuthorization } from '../topic-authorization';
import { sendBatch } from './broadcast-batch';
import { BodyTooLargeError, readBody } from './request-body';

export interface BroadcastApiContext {
  verifier: JwtVerifier;
  authorization: TopicAuthorization;
  rooms: RoomRegistry;
  limits: RealtimeLimits;
  log: (line: string) => void;
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
  const names = single ? decodePathSegments(single[1] ?? '', single[2] ?? '') : null;
  if (single && !names) {
    respondAndClose(request, response, 400, { message: 'topic and event must be valid URL encodings' });
    return true;
  }
  const identity = await authenticate(context.verifier, request);
  if (!identity) {
    respondAndClose(request, response, 401, { message: 'Unauthorized' });
    return true;
  }
  const { limits } = context;
  let body: Buffer;
  try {
    body = await readBody(request, single ? limits.maxPayloadBytes : limits.maxRequestBodyBytes);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    const max = single ? limits.maxPayloadBytes : limits.maxRequestBodyBytes;
    respondAndClose(request, response, 413, { message: `Payload exceeds ${max} bytes` });
    return true;
  }
  if (exceedsJsonDepth(body, limits.maxJsonDepth)) {
    respond(response, 422, {
      message: `PayloadTooDeep: payload nests deeper than ${limits.maxJsonDepth} levels`,
    });
    return true;
  }
  if (names) await sendSingle(context, identity, request, response, names.topic, names.event, query, body);
  else {
    const outcome = await sendBatch(context, identity, body);
    respond(response, outcome.status, 'body' in outcome ? outcome.body : undefined);
  }
  return true;
}

function decodePathSegments(topic: string, event: string): { topic: string; event: string } | null {
  try {
    return { topic: decodeURIComponent(topic), event: decodeURIComponent(event) };
  } catch {
    return null; // a malformed %-escape
  }
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

function isJsonText(body: Buffer): boolean {
  try {
    JSON.parse(body.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/** Answers before (or instead of) reading the body, and closes the connection so the rest is never read. */
function respondAndClose(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  body: unknown,
): void {
  response.once('finish', () => request.socket.destroySoon());
  respond(response, status, body, { connection: 'close' });
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
