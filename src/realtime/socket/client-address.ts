import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/**
 * The address a client's per-address limits count against. It is the TCP peer, unless that peer is one of
 * the configured trusted proxies (a reverse proxy in front of realtime): then the right-most X-Forwarded-For
 * hop that is not itself a trusted proxy. Left-most hops are whatever the client wrote, so they never count.
 * Without trusted proxies every client behind a proxy would share its address, and one of them could spend
 * everybody's budget.
 */
export class ClientAddressResolver {
  private readonly trusted = new BlockList();
  private readonly hasTrusted: boolean;

  constructor(trustedProxies: readonly string[] = []) {
    for (const entry of trustedProxies) {
      const [address = '', prefix] = entry.split('/');
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (isIP(address) === 0) throw new Error(`trusted proxy "${entry}" is not an IP address or CIDR range`);
      if (prefix === undefined) this.trusted.addAddress(address, family);
      else this.trusted.addSubnet(address, Number(prefix), family);
    }
    this.hasTrusted = trustedProxies.length > 0;
  }

  resolve(request: IncomingMessage): string {
    const peer = normalize(request.socket.remoteAddress ?? 'unknown');
    if (!this.hasTrusted || !this.isTrusted(peer)) return peer;
    const header = request.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((hop) => normalize(hop.trim()))
      .filter((hop) => isIP(hop) !== 0);
    for (let index = hops.length - 1; index >= 0; index--) {
      const hop = hops[index] as string;
      if (!this.isTrusted(hop)) return hop;
    }
    return peer;
  }

  private isTrusted(address: string): boolean {
    const family = isIP(address);
    if (family === 0) return false;
    return this.trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** `::ffff:127.0.0.1` (IPv4 on a dual-stack socket) is 127.0.0.1. */
function normalize(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
