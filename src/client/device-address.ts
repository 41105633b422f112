/**
 * The address worth showing for a signed-in device: none for this machine's own loopback or an unspecified
 * address (a session started on the server's host records `::1`, `127.0.0.1` or `0000:…:0001`), which tells
 * the user nothing.
 */
export function meaningfulAddress(address: string | null | undefined): string | null {
  if (!address) return null;
  const trimmed = address.trim().toLowerCase();
  const v4 = trimmed.startsWith('::ffff:') ? trimmed.slice('::ffff:'.length) : trimmed;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(v4)) {
    return v4.startsWith('127.') || v4 === '0.0.0.0' ? null : v4;
  }
  if (trimmed.includes(':') && isLoopbackOrUnspecifiedV6(trimmed)) return null;
  return trimmed === '' || trimmed === 'unknown' ? null : address;
}

function isLoopbackOrUnspecifiedV6(address: string): boolean {
  const [head = '', tail] = address.split('::');
  const groups = [...head.split(':'), ...(tail ?? '').split(':')].filter((group) => group !== '');
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return false;
  const values = groups.map((group) => Number.parseInt(group, 16));
  const allButLastZero = values.slice(0, -1).every((value) => value === 0);
  const last = values.at(-1) ?? 0;
  return allButLastZero && (last === 0 || last === 1);
}
