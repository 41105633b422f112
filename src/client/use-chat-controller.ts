'use client';

import type { RealtimePostgresChangesPayload } from '@supabase/supabase-js';
import { usePathname, useRouter } from 'next/navigation';
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ChatMessage } from './api-types';
import {
  type ChatEntry,
  describeFailure,
  entryFromChange,
  isOnShownPath,
  lastConfirmed,
  type MessageChangeRecord,
  mergeEntries,
  placeholderReply,
  replaceWithFetched,
  sentQuestion,
} from './chat-entries';
import { isNetworkFailure } from './error-message';
import { fetchSessionMessages } from './fetch-session-messages';
import { addToOutbox, readOutbox, removeFromOutbox } from './offline-outbox';
import { ReplyAssembler } from './reply-assembler';
import { useSessions } from './sessions-store';
import { trpc } from './trpc-client';
import { type BranchSwitch, useBranchSwitch } from './use-branch-switch';
import { useReplyRestarts } from './use-reply-restarts';
import { useSessionFeed } from './use-session-feed';

function withoutId(ids: ReadonlySet<string>, id: string): ReadonlySet<string> {
  if (!ids.has(id)) return ids;
  const next = new Set(ids);
  next.delete(id);
  return next;
}

export interface ChatController extends BranchSwitch {
  sessionId: string | null;
  messages: ChatEntry[];
  /** A reply is being written in this chat (from any tab), or a send is in flight. */
  busy: boolean;
  /** A reply is streaming: it can be stopped (from any tab). */
  canStop: boolean;
  error: string | null;
  /** Text handed back to the composer when a send was refused. */
  draft: { key: number; text: string } | undefined;
  send(content: string, model?: string): void;
  stop(): void;
  regenerate(messageId: string, model?: string): void;
  editAndResend(messageId: string, content: string, model?: string): void;
  /** Every message of the shown path is here: fetched once the chat's feed was joined (a new chat: at once). */
  complete: boolean;
}

/**
 * The state of one chat: its messages (rows fetched after subscribing, kept current by postgres_changes)
 * with streaming replies assembled from broadcast deltas, and the actions the user can take on it.
 */
export function useChatController(
  initialSessionId: string | null,
  initialMessages: ChatMessage[],
): ChatController {
  const router = useRouter();
  const pathname = usePathname();
  const sessions = useSessions();
  const [sessionId, setSessionId] = useState(initialSessionId);
  const sessionRef = useRef(initialSessionId);
  const [entries, setEntries] = useState<ChatEntry[]>(initialMessages);
  const shown = useRef(entries);
  shown.current = entries;
  /** Replies streaming in a branch that is not shown: the chat is busy all the same, and they can be stopped. */
  const [streamingElsewhere, setStreamingElsewhere] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(0);
  const [draft, setDraft] = useState<{ key: number; text: string }>();
  const [complete, setComplete] = useState(initialSessionId === null);

  /** A row as shown: for a reply, the text and status the assembler has built so far. */
  const assembled = useCallback((entry: ChatEntry, assembler: ReplyAssembler): ChatEntry => {
    if (entry.role !== 'assistant') return entry;
    assembler.applyRow(entry);
    const reply = assembler.get(entry.id);
    return reply ? { ...entry, content: reply.text, status: reply.status, streamSeq: reply.seq } : entry;
  }, []);

  const resync = useRef<() => void>(() => {});
  const assembler = useMemo(() => {
    const created: ReplyAssembler = new ReplyAssembler({
      onChange: (reply) => {
        if (reply.settled) setStreamingElsewhere((ids) => withoutId(ids, reply.messageId));
        setEntries((list) =>
          list.map((entry) =>
            entry.id === reply.messageId
              ? { ...entry, content: reply.text, status: reply.status, streamSeq: reply.seq }
              : entry,
          ),
        );
      },
      onGap: (messageId) => catchUp.current(messageId),
    });
    return created;
  }, []);

  // A reply streaming when this tab (re)subscribed, or one it missed deltas of: the text so far, from the
  // engine's memory when this server runs the reply — at once, not at the next checkpoint a second later.
  const catchUp = useRef<(messageId: string) => void>(() => {});
  catchUp.current = (messageId) => {
    trpc.chat.replyProgress
      .query({ messageId })
      .then((progress) => {
        if (progress.content) performance.mark('chat:catch-up');
        assembler.applyRow(progress);
      })
      // Unanswered (offline, the reply deleted): the next checkpoint row still fills the gap, as before.
      .catch(() => {});
  };

  resync.current = () => {
    const id = sessionRef.current;
    if (!id) return;
    fetchSessionMessages(id)
      .then((rows) => {
        if (sessionRef.current !== id) return;
        const fetched = rows.map((row) => assembled(row, assembler));
        // What streams elsewhere is re-learnt here, not carried over: a reply this view just switched away
        // from mid-stream, else nothing (one still streaming says so at its next checkpoint, about a second;
        // one whose end a dropped socket missed must not keep the chat busy).
        const shownIds = new Set(fetched.map((entry) => entry.id));
        setStreamingElsewhere(
          new Set(
            shown.current
              .filter(
                (entry) =>
                  entry.status === 'streaming' && entry.role === 'assistant' && !shownIds.has(entry.id),
              )
              .map((entry) => entry.id),
          ),
        );
        setEntries((list) => replaceWithFetched(list, fetched));
        setComplete(true);
        for (const entry of fetched) {
          if (entry.role === 'assistant' && entry.status === 'streaming') catchUp.current(entry.id);
        }
      })
      .catch((cause: unknown) => setError(describeFailure(cause)));
  };

  const onRowChange = useCallback(
    (payload: RealtimePostgresChangesPayload<MessageChangeRecord>) => {
      if (payload.eventType === 'DELETE') {
        const id = payload.old.id;
        if (!id) return;
        assembler.forget(id);
        setEntries((list) => list.filter((entry) => entry.id !== id));
        return;
      }
      // Every reply is assembled, shown or not: switching to its branch finds it up to date.
      const entry = assembled(entryFromChange(payload.new), assembler);
      const elsewhere = entry.status === 'streaming' && !isOnShownPath(shown.current, entry);
      setStreamingElsewhere((ids) =>
        elsewhere === ids.has(entry.id)
          ? ids
          : elsewhere
            ? new Set([...ids, entry.id])
            : withoutId(ids, entry.id),
      );
      setEntries((list) => (isOnShownPath(list, entry) ? mergeEntries(list, [entry]) : list));
    },
    [assembled, assembler],
  );

  useSessionFeed(sessionId, {
    onDelta: (delta) => {
      if (delta.seq === 1) performance.mark('chat:first-delta');
      assembler.applyDelta(delta);
    },
    onRowChange,
    onSessionChange: (session) => {
      // Another path is shown (a switch or an edit, in any tab): read it. A leaf this tab already shows
      // last (its own send) needs nothing.
      if (session.current_leaf_id && session.current_leaf_id !== lastConfirmed(shown.current)?.id)
        resync.current();
    },
    onReady: () => resync.current(),
  });

  // "New chat" after this view created a session: start over.
  useEffect(() => {
    if (initialSessionId === null && pathname === '/' && sessionRef.current !== null) {
      sessionRef.current = null;
      setSessionId(null);
      setEntries([]);
      setError(null);
    }
  }, [pathname, initialSessionId]);

  // The chat was deleted (here, in another tab, or on another device).
  useEffect(() => {
    if (sessionId && sessions.deletedIds.has(sessionId)) router.replace('/');
  }, [sessionId, sessions.deletedIds, router]);

  const deliver = useCallback(
    async (clientMessageId: string, content: string, model: string | undefined) => {
      // User Timing marks: the benchmark (and a curious developer's profiler) see where a reply's wait goes.
      performance.mark('chat:send-start');
      // The request leaves first; what the send renders waits for it (a transition renders in a later task,
      // a plain update in a microtask the request's own microtasks would queue behind).
      const request = trpc.chat.send.mutate({
        sessionId: sessionRef.current ?? undefined,
        clientMessageId,
        content,
        model,
      });
      startTransition(() => setSending((count) => count + 1));
      try {
        const started = await request;
        performance.mark('chat:send-end');
        if (!sessionRef.current) {
          // The send made the chat (one round trip, no session of its own first): follow it now. What streamed
          // before its feed is joined comes with the catch-up every join asks for (chat.replyProgress); the
          // sidebar hears of the chat from its own feed.
          sessionRef.current = started.sessionId;
          setSessionId(started.sessionId);
          window.history.replaceState(null, '', `/c/${started.sessionId}`);
          // Its first text need not wait for the join and the read that follows it: asked for now, while the
          // feed joins (the join's own catch-up fills whatever streams in between).
          catchUp.current(started.replyId);
        }
        removeFromOutbox(clientMessageId);
        const question = sentQuestion(
          { id: started.userMessageId, sessionId: started.sessionId, parentId: null, content },
          { branch: null, clientMessageId },
        );
        setEntries((list) => {
          const known = new Set(list.map((entry) => entry.id));
          const cleaned = list.filter(
            (entry) => !(entry.pending && entry.clientMessageId === clientMessageId),
          );
          const parentId = lastConfirmed(cleaned)?.id ?? null;
          const incoming = known.has(question.id) ? [] : [{ ...question, parentId }];
          const reply = known.has(started.replyId)
            ? []
            : [
                assembled(
                  placeholderReply(started.sessionId, started.replyId, started.model, question.id),
                  assembler,
                ),
              ];
          return mergeEntries(cleaned, [...incoming, ...reply]);
        });
        setError(null);
      } catch (cause) {
        if (isNetworkFailure(cause)) {
          addToOutbox({
            clientMessageId,
            sessionId: sessionRef.current,
            content,
            model,
            queuedAt: Date.now(),
          });
          setEntries((list) =>
            list.map((entry) =>
              entry.clientMessageId === clientMessageId && entry.pending
                ? { ...entry, pending: 'queued' }
                : entry,
            ),
          );
          return;
        }
        removeFromOutbox(clientMessageId);
        setEntries((list) =>
          list.filter((entry) => !(entry.pending && entry.clientMessageId === clientMessageId)),
        );
        setError(describeFailure(cause));
        setDraft({ key: Date.now(), text: content });
      } finally {
        setSending((count) => count - 1);
      }
    },
    [assembled, assembler],
  );

  const send = useCallback(
    (content: string, model?: string) => {
      const clientMessageId = crypto.randomUUID();
      const offline = !navigator.onLine;
      if (!offline) void deliver(clientMessageId, content, model);
      // Shown at once, but rendered after the request left (see deliver).
      startTransition(() =>
        setEntries((list) =>
          mergeEntries(list, [
            {
              ...sentQuestion(
                {
                  id: `local:${clientMessageId}`,
                  sessionId: sessionRef.current ?? '',
                  parentId: null,
                  content,
                },
                { branch: null, clientMessageId },
              ),
              pending: offline ? 'queued' : 'sending',
            },
          ]),
        ),
      );
      if (offline)
        addToOutbox({ clientMessageId, sessionId: sessionRef.current, content, model, queuedAt: Date.now() });
    },
    [deliver],
  );

  // Back online: send what was queued for this chat, each once, with the id it was given when typed.
  useEffect(() => {
    const flush = () => {
      if (!navigator.onLine) return;
      for (const item of readOutbox()) {
        if (item.sessionId !== sessionRef.current) continue;
        setEntries((list) =>
          list.map((entry) =>
            entry.clientMessageId === item.clientMessageId ? { ...entry, pending: 'sending' } : entry,
          ),
        );
        void deliver(item.clientMessageId, item.content, item.model);
      }
    };
    window.addEventListener('online', flush);
    return () => window.removeEventListener('online', flush);
  }, [deliver]);

  const streamingId =
    entries.findLast((entry) => entry.role === 'assistant' && entry.status === 'streaming')?.id ??
    [...streamingElsewhere][0];

  const stop = useCallback(() => {
    if (!streamingId) return;
    trpc.chat.stop
      .mutate({ messageId: streamingId })
      .catch((cause: unknown) => setError(describeFailure(cause)));
  }, [streamingId]);

  const { regenerate, editAndResend } = useReplyRestarts({
    setEntries,
    setSending,
    setError,
    assembler,
    assembled,
    resync,
  });

  const { switchBranch, revealBranch } = useBranchSwitch({ sessionRef, setError, resync });

  return {
    sessionId,
    messages: entries,
    busy: sending > 0 || streamingId !== undefined,
    canStop: streamingId !== undefined,
    error,
    draft,
    send,
    stop,
    regenerate,
    editAndResend,
    switchBranch,
    revealBranch,
    complete,
  };
}
