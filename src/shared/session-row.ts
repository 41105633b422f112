/**
 * A chat session as the app shows it, and the one mapping from its chat_sessions row: the server reads rows
 * through Kysely (timestamps as Date), the browser receives them from Realtime (JSON, timestamps as text).
 */

type Timestamp = Date | string;

/** The chat_sessions columns a session is shown from, in the database's own names. */
export interface SessionRecord {
  id: string;
  title: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_message_at: Timestamp;
  pinned_at: Timestamp | null;
  model: string | null;
  current_leaf_id: string | null;
}

export interface ChatSession {
  id: string;
  title: string;
  createdAt: Date;
  updatedAt: Date;
  lastMessageAt: Date;
  pinnedAt: Date | null;
  model: string | null;
  /** The last message of the path the chat shows (the versions last chosen); null before the first send. */
  currentLeafId: string | null;
}

/** The columns the server selects to build a ChatSession. */
export const SESSION_COLUMNS = [
  'id',
  'title',
  'created_at',
  'updated_at',
  'last_message_at',
  'pinned_at',
  'model',
  'current_leaf_id',
] as const;

function toDate(value: Timestamp): Date {
  return value instanceof Date ? value : new Date(value);
}

export function toChatSession(record: SessionRecord): ChatSession {
  return {
    id: record.id,
    title: record.title,
    createdAt: toDate(record.created_at),
    updatedAt: toDate(record.updated_at),
    lastMessageAt: toDate(record.last_message_at),
    pinnedAt: record.pinned_at === null ? null : toDate(record.pinned_at),
    model: record.model,
    currentLeafId: record.current_leaf_id ?? null,
  };
}

/** Whether a received record (hostile until checked) has what toChatSession reads. */
export function isSessionRecord(value: unknown): value is SessionRecord {
  if (!value || typeof value !== 'object') return false;
  const record = value as Partial<Record<keyof SessionRecord, unknown>>;
  const isTime = (field: unknown) => typeof field === 'string' && !Number.isNaN(Date.parse(field));
  return (
    typeof record.id === 'string' &&
    typeof record.title === 'string' &&
    isTime(record.created_at) &&
    isTime(record.updated_at) &&
    isTime(record.last_message_at) &&
    (record.pinned_at == null || isTime(record.pinned_at)) &&
    (record.model == null || typeof record.model === 'string') &&
    (record.current_leaf_id == null || typeof record.current_leaf_id === 'string')
  );
}

/** Newest activity first, ties by id descending: the server's keyset order of sessions.list. */
export function compareSessions(a: ChatSession, b: ChatSession): number {
  const byTime = b.lastMessageAt.getTime() - a.lastMessageAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
