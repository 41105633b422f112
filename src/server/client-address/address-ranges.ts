import 'server-only';
import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** "::ffff:203.0.113.9" (an IPv4 client on a dual-stack socket) is 203.0.113.9; anything not an IP is null. */
export function canonicalAddress(address: string): string | null {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  if (isIPv4(trimmed)) return trimmed;
  if (isIPv6(trimmed)) return trimmed.toLowerCase();
  return null;
}

/** Addresses and CIDR ranges ("10.0.0.1", "172.16.0.0/12", "fd00::/8"), already validated (src/env.ts). */
export function addressRanges(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const type = isIPv4(address) ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

export function inRanges(ranges: BlockList, canonical: string): boolean {
  return ranges.check(canonical, isIPv4(canonical) ? 'ipv4' : 'ipv6');
}
