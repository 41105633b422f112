import type { ChatSession } from './api-types';

/** A chat_sessions row as postgres_changes delivers it (snake_case columns, timestamps as text). */
export interface SessionChangeRecord {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
  last_message_at: string;
  pinned_at: string | null;
  model: string | null;
}

export function sessionFromChange(record: SessionChangeRecord): ChatSession {
  return {
    id: record.id,
    title: record.title,
    createdAt: new Date(record.created_at),
    updatedAt: new Date(record.updated_at),
    lastMessageAt: new Date(record.last_message_at),
    pinnedAt: record.pinned_at ? new Date(record.pinned_at) : null,
    model: record.model,
  };
}

/** Newest activity first, ties by id descending: the server's keyset order. */
export function compareSessions(a: ChatSession, b: ChatSession): number {
  const byTime = b.lastMessageAt.getTime() - a.lastMessageAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Inserts or replaces sessions by id, keeping the list sorted. */
export function mergeSessions(list: ChatSession[], incoming: ChatSession[]): ChatSession[] {
  const byId = new Map(list.map((session) => [session.id, session]));
  for (const session of incoming) byId.set(session.id, session);
  return [...byId.values()].sort(compareSessions);
}
