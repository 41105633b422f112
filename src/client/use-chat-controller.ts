'use client';

import type { RealtimePostgresChangesPayload } from '@supabase/supabase-js';
import { usePathname, useRouter } from 'next/navigation';
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ChatMessage } from '@/shared/message-row';
import {
  type ChatEntry,
  describeFailure,
  entryFromChange,
  isOnShownPath,
  lastConfirmed,
  type MessageChangeRecord,
  mergeEntries,
  placeholderReply,
  sentQuestion,
} from './chat-entries';
import { type ChatOpening, openingPageInput } from './chat-page';
import { isNetworkFailure } from './error-message';
import { fetchSessionMessages } from './fetch-session-messages';
import { addToOutbox, readOutbox, removeFromOutbox } from './offline-outbox';
import { type AssembledReply, ReplyAssembler } from './reply-assembler';
import { trpc } from './trpc-client';
import { type BranchSwitch, useBranchSwitch } from './use-branch-switch';
import { useChatCache } from './use-chat-cache';
import { useReplyRestarts } from './use-reply-restarts';
import { useSessionFeed } from './use-session-feed';

function withoutId(ids: ReadonlySet<string>, id: string): ReadonlySet<string> {
  if (!ids.has(id)) return ids;
  const next = new Set(ids);
  next.delete(id);
  return next;
}

function withoutReply(
  replies: ReadonlyMap<string, AssembledReply>,
  id: string,
): ReadonlyMap<string, AssembledReply> {
  if (!replies.has(id)) return replies;
  const next = new Map(replies);
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
  /** Every message of the shown path is here (a chat opens on its newest page; earlier ones come on request). */
  complete: boolean;
  /** Fetches the whole shown path (Show earlier, a link to a message further back). */
  loadEarlier(): void;
}

/**
 * The state of one chat: its messages in the react-query cache (the page the server rendered, kept current by
 * postgres_changes; fetched again only when the feed may have missed something) with streaming replies
 * assembled from broadcast deltas beside it, and the actions the user can take on it.
 */
export function useChatController(
  initialSessionId: string | null,
  opening: ChatOpening | null,
): ChatController {
  const router = useRouter();
  const pathname = usePathname();
  const sessionRef = useRef(initialSessionId);
  const { sessionId, entries, setEntries, adopt, startOver, gone, fetchInto, fetchCurrentLeaf } =
    useChatCache(initialSessionId, opening, sessionRef);
  const shown = useRef(entries);
  shown.current = entries;
  /** Streaming replies' text as deltas build it: beside the cache, which learns a reply's text when it settles. */
  const [live, setLive] = useState<ReadonlyMap<string, AssembledReply>>(new Map());
  /** Replies streaming in a branch that is not shown: the chat is busy all the same, and they can be stopped. */
  const [streamingElsewhere, setStreamingElsewhere] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(0);
  const [draft, setDraft] = useState<{ key: number; text: string }>();

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
        if (!reply.settled) {
          setLive((replies) => new Map(replies).set(reply.messageId, reply));
          return;
        }
        setEntries((list) =>
          list.map((entry) =>
            entry.id === reply.messageId
              ? { ...entry, content: reply.text, status: reply.status, streamSeq: reply.seq }
              : entry,
          ),
        );
        setStreamingElsewhere((ids) => withoutId(ids, reply.messageId));
        setLive((replies) => withoutReply(replies, reply.messageId));
      },
      onGap: (messageId) => catchUp.current(messageId),
    });
    return created;
  }, [setEntries]);

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

  /** Rows of the shown path (its newest page, or all of it) into the cache; streaming replies catch up. */
  const refresh = useRef<(fetchRows: (id: string) => Promise<ChatMessage[]>) => void>(() => {});
  refresh.current = (fetchRows) => {
    fetchInto(async (id) => (await fetchRows(id)).map((row) => assembled(row, assembler)))
      .then((fetched) => {
        if (!fetched || sessionRef.current !== fetched.sessionId) return;
        // What streams elsewhere is re-learnt here, not carried over: a reply this view just switched away
        // from mid-stream, else nothing (one still streaming says so at its next checkpoint, about a second;
        // one whose end a dropped socket missed must not keep the chat busy).
        const shownIds = new Set(fetched.after.map((entry) => entry.id));
        setStreamingElsewhere(
          new Set(
            fetched.before
              .filter(
                (entry) =>
                  entry.status === 'streaming' && entry.role === 'assistant' && !shownIds.has(entry.id),
              )
              .map((entry) => entry.id),
          ),
        );
        for (const entry of fetched.after) {
          if (entry.role === 'assistant' && entry.status === 'streaming') catchUp.current(entry.id);
        }
      })
      .catch((cause: unknown) => setError(describeFailure(cause)));
  };
  resync.current = () =>
    refresh.current(async (id) => (await trpc.messages.list.query(openingPageInput(id))).items);
  const loadEarlier = useCallback(() => refresh.current(fetchSessionMessages), []);

  /**
   * The first join of a chat the server rendered: the page is current unless the chat shows another path now
   * (every send and every switch of branch moves its leaf), so a look at the session replaces a second read
   * of the page. Replies streaming in it catch up from the engine.
   */
  const confirmOpening = useRef<() => void>(() => {});
  confirmOpening.current = () => {
    const id = sessionRef.current;
    if (!id) return;
    fetchCurrentLeaf(id)
      .then((leafId) => {
        if (sessionRef.current !== id) return;
        if (leafId && leafId !== lastConfirmed(shown.current)?.id) {
          resync.current();
          return;
        }
        for (const entry of shown.current) {
          if (entry.role !== 'assistant' || entry.status !== 'streaming') continue;
          assembler.applyRow(entry);
          catchUp.current(entry.id);
        }
      })
      .catch(() => resync.current());
  };
  const joinedBefore = useRef(false);

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
    [assembled, assembler, setEntries],
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
    onReady: () => {
      const first = !joinedBefore.current;
      joinedBefore.current = true;
      if (first && opening && sessionRef.current === initialSessionId) confirmOpening.current();
      else resync.current();
    },
  });

  // "New chat" after this view created a session: start over.
  useEffect(() => {
    if (initialSessionId === null && pathname === '/' && sessionRef.current !== null) {
      startOver();
      setError(null);
    }
  }, [pathname, initialSessionId, startOver]);

  // The chat was deleted (here, in another tab, or on another device).
  useEffect(() => {
    if (gone) router.replace('/');
  }, [gone, router]);

  const deliver = useCallback(
    async (clientMessageId: string, content: string, model: string | undefined) => {
      // User Timing marks: the benchmark (and a curious developer's profiler) see where a reply's wait goes.
      performance.mark('chat:send-start');
      // The request leaves first; what the send renders waits for it (a transition renders in a later task;
      // a plain state update would render in a microtask, ahead of the request's own).
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
          adopt(started.sessionId);
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
    [assembled, assembler, adopt, setEntries],
  );

  const send = useCallback(
    (content: string, model?: string) => {
      const clientMessageId = crypto.randomUUID();
      const offline = !navigator.onLine;
      if (!offline) void deliver(clientMessageId, content, model);
      // Into the chat's cache, whose readers hear of it in a later task: after the request left (see deliver).
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
      );
      if (offline)
        addToOutbox({ clientMessageId, sessionId: sessionRef.current, content, model, queuedAt: Date.now() });
    },
    [deliver, setEntries],
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
  }, [deliver, setEntries]);

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

  // A streaming reply shows the text its deltas built so far, which the cache learns when it settles.
  const messages = useMemo(
    () =>
      live.size === 0
        ? entries
        : entries.map((entry) => {
            const reply = live.get(entry.id);
            return reply && entry.status === 'streaming' && reply.seq > entry.streamSeq
              ? { ...entry, content: reply.text, streamSeq: reply.seq }
              : entry;
          }),
    [entries, live],
  );

  return {
    sessionId,
    messages,
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
    // The path is whole when its first message is a root (an empty chat is whole too).
    complete: (entries[0]?.parentId ?? null) === null,
    loadEarlier,
  };
}
