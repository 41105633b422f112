import type { ChatSession } from './api-types';

export type SessionGroupName = 'Pinned' | 'Today' | 'Yesterday' | 'Previous 7 days' | 'Older';

export interface SessionGroup {
  name: SessionGroupName;
  sessions: ChatSession[];
}

const order: SessionGroupName[] = ['Pinned', 'Today', 'Yesterday', 'Previous 7 days', 'Older'];

function startOfLocalDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** Which heading a session sits under, by its last activity in the viewer's local calendar. */
export function sessionGroupName(session: ChatSession, now: Date): SessionGroupName {
  if (session.pinnedAt) return 'Pinned';
  const today = startOfLocalDay(now);
  const day = startOfLocalDay(session.lastMessageAt);
  const dayMs = 24 * 60 * 60 * 1000;
  if (day >= today) return 'Today';
  if (day >= today - dayMs) return 'Yesterday';
  if (day >= today - 7 * dayMs) return 'Previous 7 days';
  return 'Older';
}

/** Sessions (already newest first) under their headings, empty headings left out. */
export function groupSessions(sessions: ChatSession[], now = new Date()): SessionGroup[] {
  const byName = new Map<SessionGroupName, ChatSession[]>();
  for (const session of sessions) {
    const name = sessionGroupName(session, now);
    const list = byName.get(name) ?? [];
    list.push(session);
    byName.set(name, list);
  }
  return order.flatMap((name) => {
    const list = byName.get(name);
    return list ? [{ name, sessions: list }] : [];
  });
}
