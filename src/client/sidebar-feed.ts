import type { RealtimeChannel, RealtimeClient } from '@supabase/supabase-js';
import { userSessionsTopic } from '@/shared/realtime-topics';
import { type ChatSession, isSessionRecord, toChatSession } from '@/shared/session-row';

export interface SidebarFeedHandlers {
  /** A session was created or changed (title, activity, pin, model, the branch it shows). */
  onSession(session: ChatSession): void;
  /** A session was deleted: only its id is relied on. */
  onDeleted(id: string): void;
  /** Joined; `again` after a drop, when changes may have been missed meanwhile. */
  onJoined(again: boolean): void;
}

/** What realtime.broadcast_changes sends: `{operation, record, old_record, table, schema}`. */
interface BroadcastChange {
  operation?: unknown;
  record?: unknown;
  old_record?: { id?: unknown } | null;
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
  const topic = userSessionsTopic(userId);
  return socket
    .channel(topic, { config: { private: true } })
    .on('broadcast', { event: '*' }, ({ payload }: { payload: BroadcastChange }) => {
      if (payload.operation === 'DELETE') {
        const id = payload.old_record?.id;
        if (typeof id === 'string') handlers.onDeleted(id);
      } else if (payload.operation === 'INSERT' || payload.operation === 'UPDATE') {
        if (isSessionRecord(payload.record)) handlers.onSession(toChatSession(payload.record));
      }
    })
    .subscribe((status, error) => {
      if (status !== 'SUBSCRIBED') {
        if (status !== 'CLOSED') console.warn(`Realtime ${topic}: ${status}`, error?.message ?? '');
        return;
      }
      handlers.onJoined(joinedBefore);
      joinedBefore = true;
    });
}
