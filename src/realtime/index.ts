// The realtime server's one public entry: start it, stop it (the returned handle), and the types of its
// options. Everything else under src/realtime is internal; src/realtime imports nothing from the app.
export type { DeleteEventsMode } from './cdc/postgres-changes';
export type { RealtimeLimits } from './realtime-limits';
export { type RealtimeServer, type RealtimeServerOptions, startRealtimeServer } from './realtime-server';
