import type { RealtimeChannel, RealtimeClient } from '@supabase/supabase-js';
import type { ChatSession } from './api-types';
import { type SessionChangeRecord, sessionFromChange } from './session-row';

/** The private topic the database broadcasts a user's chat_sessions changes to (migration 0020). */
export function sidebarTopic(userId: string): string {
  return `user:${userId}:sessions`;
}

export interface SidebarFeedHandlers {
  /** A session was created or changed (title, activity, pin, model). */
  onSession(session: ChatSession): void;
  /** A session was deleted: only its id is relied on. */
  onDeleted(id: string): void;
  /** Joined; `again` after a drop, when changes may have been missed meanwhile. */
  onJoined(again: boolean): void;
}

/** What realtime.broadcast_changes sends: `{operation, record, old_record, table, schema}`. */
interface BroadcastChange {
  operation?: unknown;
  record?: Partial<SessionChangeRecord> | null;
  old_record?: { id?: unknown } | null;
}

function isSessionRecord(record: BroadcastChange['record']): record is SessionChangeRecord {
  return (
    typeof record?.id === 'string' &&
    typeof record.title === 'string' &&
    typeof record.last_message_at === 'string'
  );
}

/**
 * Follows the user's chat list live through Broadcast from Database on `user:<id>:sessions`: authorised once
 * when the channel joins (the topic's realtime.messages policy admits only that user), where postgres_changes
 * would check RLS per subscriber per change. A message that is not a well-formed change is ignored.
 */
export function followSidebar(
  socket: RealtimeClient,
  userId: string,
  handlers: SidebarFeedHandlers,
): RealtimeChannel {
  let joinedBefore = false;
  return socket
    .channel(sidebarTopic(userId), { config: { private: true } })
    .on('broadcast', { event: '*' }, ({ payload }: { payload: BroadcastChange }) => {
      if (payload.operation === 'DELETE') {
        const id = payload.old_record?.id;
        if (typeof id === 'string') handlers.onDeleted(id);
      } else if (payload.operation === 'INSERT' || payload.operation === 'UPDATE') {
        if (isSessionRecord(payload.record)) handlers.onSession(sessionFromChange(payload.record));
      }
    })
    .subscribe((status, error) => {
      if (status !== 'SUBSCRIBED') {
        if (status !== 'CLOSED')
          console.warn(`Realtime ${sidebarTopic(userId)}: ${status}`, error?.message ?? '');
        return;
      }
      handlers.onJoined(joinedBefore);
      joinedBefore = true;
    });
}
