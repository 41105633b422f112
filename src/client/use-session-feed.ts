'use client';

import type { RealtimeChannel, RealtimePostgresChangesPayload } from '@supabase/supabase-js';
import { useEffect, useRef } from 'react';
import { replyTopic, sessionRowsTopic } from '@/shared/realtime-topics';
import { decodeReplyDelta, REPLY_DELTA_EVENT } from '@/shared/reply-stream';
import type { MessageChangeRecord } from './chat-entries';
import { useRealtimeClient } from './realtime-context';
import type { ReplyDeltaEvent } from './reply-assembler';

export interface SessionFeedHandlers {
  onDelta(delta: ReplyDeltaEvent): void;
  onRowChange(payload: RealtimePostgresChangesPayload<MessageChangeRecord>): void;
  /** The session row changed (in this tab or another): e.g. the branch it shows. */
  onSessionChange(session: SessionLeafRecord): void;
  /** Both channels are joined (first time or after a reconnect): time to fetch the snapshot. */
  onReady(): void;
}

/** The part of a chat_sessions row the chat view reads from its UPDATE events. */
export interface SessionLeafRecord {
  id: string;
  current_leaf_id: string | null;
}

/**
 * Follows one session live: the private broadcast `chat:<id>` (reply deltas) and postgres_changes on its
 * chat_messages rows and on its chat_sessions row. Subscribes first; the caller fetches the snapshot in `onReady`, so nothing falls between.
 */
export function useSessionFeed(sessionId: string | null, handlers: SessionFeedHandlers): void {
  const realtime = useRealtimeClient();
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    if (!realtime || !sessionId) return;
    const joined = new Set<RealtimeChannel>();
    const onStatus = (channel: RealtimeChannel) => (status: string, error?: Error) => {
      if (status !== 'SUBSCRIBED') console.warn(`Realtime ${channel.topic}: ${status}`, error?.message ?? '');
      if (status === 'SUBSCRIBED') {
        joined.add(channel);
        if (joined.size === 2) latest.current.onReady();
      } else {
        joined.delete(channel);
      }
    };
    const deltas = realtime.socket.channel(replyTopic(sessionId), { config: { private: true } });
    deltas.on('broadcast', { event: REPLY_DELTA_EVENT }, ({ payload }) => {
      const delta = decodeReplyDelta(payload);
      if (delta) latest.current.onDelta(delta);
    });
    const rows = realtime.socket.channel(sessionRowsTopic(sessionId));
    rows.on(
      'postgres_changes',
      { event: '*', schema: 'public', table: 'chat_messages', filter: `session_id=eq.${sessionId}` },
      (payload: RealtimePostgresChangesPayload<MessageChangeRecord>) => latest.current.onRowChange(payload),
    );
    // The same channel carries the session row, so a branch switched in another tab shows here too.
    rows.on(
      'postgres_changes',
      { event: 'UPDATE', schema: 'public', table: 'chat_sessions', filter: `id=eq.${sessionId}` },
      (payload: RealtimePostgresChangesPayload<SessionLeafRecord>) => {
        if (payload.eventType === 'UPDATE') latest.current.onSessionChange(payload.new);
      },
    );
    deltas.subscribe(onStatus(deltas));
    rows.subscribe(onStatus(rows));
    return () => {
      void realtime.socket.removeChannel(deltas);
      void realtime.socket.removeChannel(rows);
    };
  }, [realtime, sessionId]);
}
