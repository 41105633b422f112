import 'server-only';
import { env } from '@/env';
import { logger } from '../observability/logger';
import { addressRanges, canonicalAddress, inRanges } from './address-ranges';
import { PEER_ADDRESS_HEADER } from './peer-address';

/** Where a reverse proxy of this deployment would connect from: this box, a LAN, a container network. */
const LOCAL_NETWORKS = addressRanges([
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
]);

/**
 * The peer's address when this request looks like it came through a reverse proxy the app was not told
 * about: from a local network, not in TRUSTED_PROXIES, carrying X-Forwarded-For. Every client would then
 * share that proxy's address (one attacker's failed sign-ins lock everyone out): an ambiguous configuration,
 * not something to guess about. A client on the internet cannot trigger this (its address is not local).
 */
export function undeclaredProxy(headers: Headers, trustedProxies = env().TRUSTED_PROXIES): string | null {
  const peer = canonicalAddress(headers.get(PEER_ADDRESS_HEADER) ?? '');
  const forwarded = headers.get('x-forwarded-for');
  if (!peer || forwarded === null) return null;
  // Next fills in a missing X-Forwarded-For with the socket's own address: that is no proxy talking.
  if (canonicalAddress(forwarded) === peer) return null;
  if (!inRanges(LOCAL_NETWORKS, peer) || inRanges(addressRanges(trustedProxies), peer)) return null;
  return peer;
}

/** Production's answer while a proxy is undeclared: refused, with the fix in the log. */
export function undeclaredProxyResponse(peer: string): Response {
  logger().error(
    { peer },
    `Auth request refused: it came from ${peer} with X-Forwarded-For, but TRUSTED_PROXIES does not list ` +
      `${peer}. If a reverse proxy runs there, set TRUSTED_PROXIES=${peer} (or its range) so each client is ` +
      'rate-limited by its own address; otherwise stop that host from sending X-Forwarded-For',
  );
  return Response.json(
    { message: 'The server is misconfigured (TRUSTED_PROXIES): its log says how to fix it' },
    { status: 503 },
  );
}
