/**
 * Per-server limits. Every one is checked when the frame or request arrives, before work is queued or
 * state stored; exceeding one yields an error the client can read (or a close with its reason), never a
 * silent stall. The table in README.md lists them with Supabase's values and error texts.
 */
export interface RealtimeLimits {
  maxConnections: number;
  /** Open sockets per client address (the TCP peer, or behind a trusted proxy the client it forwarded for). */
  maxConnectionsPerIp: number;
  maxChannelsPerConnection: number;
  /** Largest broadcast / presence / REST payload accepted, in bytes (hosted Supabase: 3000 KB). */
  maxPayloadBytes: number;
  /** Larger websocket frames close the socket with 1009 before they are buffered (Supabase: 5,000,000). */
  maxFrameBytes: number;
  /** Deepest nesting of arrays/objects in a frame or REST body (Supabase has none; JSON.stringify needs one). */
  maxJsonDepth: number;
  /** Longest topic name, presence key or binding list a join may carry (they are kept while joined). */
  maxTopicBytes: number;
  maxPostgresChangesPerJoin: number;
  /** Largest presence meta one channel may track: every join in the room is sent every meta (presence_state). */
  maxPresenceMetaBytes: number;
  /** All presence metas one connection tracks, across its channels. */
  maxPresenceBytesPerConnection: number;
  /** Client pushes (broadcast, presence, access_token …) per second per connection; heartbeats excluded. */
  maxPushesPerSecond: number;
  /** phx_join frames per second per connection (Supabase: 100 per tenant, then the socket is disconnected). */
  maxJoinsPerSecond: number;
  /** Joins and access_token refreshes per second from one address, over all its sockets (each may cost an RLS transaction). */
  maxAuthorizationsPerSecondPerIp: number;
  /** Frames of any kind per second per connection; beyond it the socket is closed (1008). */
  maxFramesPerSecond: number;
  /** Bytes received per second per connection; beyond it the socket is closed (1008). */
  maxReceivedBytesPerSecond: number;
  /** Frames waiting behind slow work (a join's database checks) per connection; beyond it: close (1008). */
  maxQueuedFramesPerConnection: number;
  /** Bytes of frames waiting per connection; beyond it: close (1008). */
  maxQueuedBytesPerConnection: number;
  /** A socket that sends nothing (not even heartbeats) for this long is closed, like Phoenix's transport timeout. */
  idleTimeoutMs: number;
  /** A receiver this far behind (bytes queued in its socket) is disconnected instead of buffering without bound. */
  maxBufferedBytesPerConnection: number;
  /** REST batch: messages per request from a caller subject to RLS (Supabase: 100 events per second). */
  maxBroadcastMessagesPerRequest: number;
  /** REST batch: distinct private topics per request, authorized together in one transaction. */
  maxPrivateTopicsPerRequest: number;
  /** REST request bodies; reading stops at this size (Supabase's Plug.Parsers: 8,000,000). */
  maxRequestBodyBytes: number;
}

export const DEFAULT_LIMITS: RealtimeLimits = {
  maxConnections: 10_000,
  maxConnectionsPerIp: 100,
  maxChannelsPerConnection: 100,
  maxPayloadBytes: 3_000 * 1024,
  maxFrameBytes: 5_000_000,
  maxJsonDepth: 64,
  maxTopicBytes: 1_024,
  maxPostgresChangesPerJoin: 100,
  maxPresenceMetaBytes: 64 * 1024,
  maxPresenceBytesPerConnection: 256 * 1024,
  maxPushesPerSecond: 500,
  maxJoinsPerSecond: 100,
  maxAuthorizationsPerSecondPerIp: 500,
  maxFramesPerSecond: 2_000,
  maxReceivedBytesPerSecond: 4 * 1024 * 1024,
  maxQueuedFramesPerConnection: 1_000,
  maxQueuedBytesPerConnection: 8 * 1024 * 1024,
  idleTimeoutMs: 60_000,
  maxBufferedBytesPerConnection: 32 * 1024 * 1024,
  maxBroadcastMessagesPerRequest: 100,
  maxPrivateTopicsPerRequest: 20,
  maxRequestBodyBytes: 8_000_000,
};

export function resolveLimits(overrides: Partial<RealtimeLimits> = {}): RealtimeLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
