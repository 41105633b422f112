import 'server-only';
import { env } from '@/env';
import { logger } from '../observability/logger';
import { addressRanges, canonicalAddress, inRanges } from './address-ranges';
import { PEER_ADDRESS_HEADER } from './peer-address';

/**
 * The one header BetterAuth reads the client's address from (rate limits, a session's "last seen from"). Only
 * `withClientAddress` writes it; whatever a client sends under this name is replaced.
 */
export const CLIENT_ADDRESS_HEADER = 'x-chattwelve-client-address';

/**
 * Who sent this request. The socket's peer (stamped by this process, see peer-address.ts), unless that peer is
 * a trusted proxy: then x-forwarded-for is read from the right (each proxy appends the address it received
 * from), skipping trusted hops, and the first untrusted hop is the client. Hops left of it were written by the
 * client and are never believed. A malformed hop ends the walk at the last proxy that is known. Null when the
 * request did not come through a stamped socket (a request built in-process).
 */
export function resolveClientAddress(headers: Headers, trustedProxies: readonly string[]): string | null {
  const peer = canonicalAddress(headers.get(PEER_ADDRESS_HEADER) ?? '');
  if (!peer) return null;
  const proxies = addressRanges(trustedProxies);
  if (!inRanges(proxies, peer)) return peer;
  const hops = (headers.get('x-forwarded-for') ?? '').split(',').reverse();
  let nearest = peer;
  for (const hop of hops) {
    const address = canonicalAddress(hop);
    if (!address) return nearest;
    if (!inRanges(proxies, address)) return address;
    nearest = address;
  }
  return nearest;
}

/**
 * A copy of `headers` carrying the resolved client address under CLIENT_ADDRESS_HEADER (or none), for
 * BetterAuth and the audit log. Call at every door a request comes in by (the auth route, the tRPC context).
 */
export function withClientAddress(headers: Headers, trustedProxies = env().TRUSTED_PROXIES): Headers {
  const copy = new Headers(headers);
  copy.delete(CLIENT_ADDRESS_HEADER);
  const client = resolveClientAddress(headers, trustedProxies);
  if (client) copy.set(CLIENT_ADDRESS_HEADER, client);
  return copy;
}

/**
 * Production's answer to an auth request whose socket address is unknown: without it every client would
 * share one rate-limit bucket (one attacker locks everyone out) — so it is refused, never guessed. It happens
 * for requests that reached `next start` in the moment before src/instrumentation.ts ran (a retry succeeds),
 * or always, when the app is served by something that skips the instrumentation (said in the log).
 */
export function unknownClientAddressResponse(): Response {
  logger().error(
    { header: PEER_ADDRESS_HEADER },
    'Auth request refused: its socket address is unknown. Serve the app with `next start` / `npm start`, ' +
      'whose src/instrumentation.ts stamps every request with it',
  );
  return Response.json(
    { message: 'The server is starting: try again in a moment' },
    { status: 503, headers: { 'retry-after': '1' } },
  );
}
