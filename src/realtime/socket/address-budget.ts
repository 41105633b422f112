import { PerSecondCounter } from './per-second-counter';

interface AddressState {
  connections: number;
  /** Joins and token refreshes: each may cost the database an authorization transaction. */
  authorizations: PerSecondCounter;
}

/**
 * What one client address may hold and cost: open sockets, and joins plus token refreshes per second summed
 * over its sockets (the per-socket limits alone would let 100 sockets multiply them by 100). The address is
 * the TCP peer, or behind a configured trusted proxy the client it forwarded for (client-address.ts).
 */
export class AddressBudget {
  private readonly addresses = new Map<string, AddressState>();

  constructor(
    private readonly maxConnectionsPerAddress: number,
    private readonly maxAuthorizationsPerSecond: number,
  ) {}

  /** Counts one more socket for `address`; false (and not counted) when the address is at its limit. */
  connect(address: string): boolean {
    const state = this.addresses.get(address) ?? {
      connections: 0,
      authorizations: new PerSecondCounter(this.maxAuthorizationsPerSecond),
    };
    if (state.connections >= this.maxConnectionsPerAddress) return false;
    state.connections++;
    this.addresses.set(address, state);
    return true;
  }

  disconnect(address: string): void {
    const state = this.addresses.get(address);
    if (!state) return;
    state.connections--;
    if (state.connections <= 0) this.addresses.delete(address);
  }

  /** One join or token refresh from `address`; false when its second is over the limit. */
  allowAuthorization(address: string): boolean {
    return this.addresses.get(address)?.authorizations.allow() ?? true;
  }
}
