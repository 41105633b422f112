/**
 * Open sockets per client address. The address is the TCP peer: forwarded-for headers are not trusted, so
 * behind a reverse proxy every client shares the proxy's address (raise the limit there, or set it to
 * Infinity and let the proxy limit).
 */
export class ConnectionsPerAddress {
  private readonly open = new Map<string, number>();

  constructor(private readonly maxPerAddress: number) {}

  /** Counts one more socket for `address`; false (and not counted) when the address is at its limit. */
  add(address: string): boolean {
    const count = this.open.get(address) ?? 0;
    if (count >= this.maxPerAddress) return false;
    this.open.set(address, count + 1);
    return true;
  }

  remove(address: string): void {
    const count = (this.open.get(address) ?? 1) - 1;
    if (count <= 0) this.open.delete(address);
    else this.open.set(address, count);
  }
}
