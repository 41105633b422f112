import type { RealtimeServerOptions } from '../realtime';

/** What the launcher sends a realtime child process once it is forked. */
export type RealtimeChildOptions = Pick<
  RealtimeServerOptions,
  'port' | 'host' | 'databaseUrl' | 'jwtSecret' | 'limits' | 'trustedProxies' | 'deleteEvents'
>;

/** What a realtime child process reports back. */
export type RealtimeChildMessage =
  | { type: 'ready'; url: string; port: number }
  | { type: 'failed'; reason: string };
