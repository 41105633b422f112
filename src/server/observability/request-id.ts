import 'server-only';
import { randomUUID } from 'node:crypto';

/** What a proxy in front of us may hand over as its request id; anything else could forge log lines. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The request id a proxy set (`x-request-id`), when it looks like one; otherwise a new UUID. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get('x-request-id');
  return given && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}
