/**
 * Every Realtime topic the app joins or sends to, named once: the chat engine, the server's tests and the
 * browser build them here. The database builds `user:<id>:sessions` and authorises the private topics in SQL
 * (migrations 0020 and 0022); those policies match these names.
 */

/** The private broadcast topic that carries the deltas of every reply in a session. */
export function replyTopic(sessionId: string): string {
  return `chat:${sessionId}`;
}

/** The channel a tab follows a session's rows on (postgres_changes; RLS decides what it receives). */
export function sessionRowsTopic(sessionId: string): string {
  return `chat-rows:${sessionId}`;
}

/** The private topic the database broadcasts a user's chat_sessions changes to (migration 0020). */
export function userSessionsTopic(userId: string): string {
  return `user:${userId}:sessions`;
}

/** A user's own devices (presence); only that user joins it. Key: the device (BetterAuth session id). */
export function ownDevicesTopic(userId: string): string {
  return `presence:user:${userId}`;
}

/** Every signed-in tab tracks its user here (key: the user id, no meta); only admins see it. */
export const ONLINE_TOPIC = 'presence:online';
