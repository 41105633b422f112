/** Per-server limits. Exceeding one yields an error the client can read, never a silent stall. */
export interface RealtimeLimits {
  maxConnections: number;
  maxChannelsPerConnection: number;
  /** Largest broadcast / presence / REST payload accepted, in bytes (hosted Supabase: 3000 KB). */
  maxPayloadBytes: number;
  /** Client pushes (broadcast, presence, access_token …) per second per connection; heartbeats excluded. */
  maxPushesPerSecond: number;
  /** A socket that sends nothing (not even heartbeats) for this long is closed, like Phoenix's transport timeout. */
  idleTimeoutMs: number;
  /** A receiver this far behind (bytes queued in its socket) is disconnected instead of buffering without bound. */
  maxBufferedBytesPerConnection: number;
}

export const DEFAULT_LIMITS: RealtimeLimits = {
  maxConnections: 10_000,
  maxChannelsPerConnection: 100,
  maxPayloadBytes: 3_000 * 1024,
  maxPushesPerSecond: 500,
  idleTimeoutMs: 60_000,
  maxBufferedBytesPerConnection: 32 * 1024 * 1024,
};

export function resolveLimits(overrides: Partial<RealtimeLimits> = {}): RealtimeLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
