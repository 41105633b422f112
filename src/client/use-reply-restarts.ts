'use client';

import { type Dispatch, type SetStateAction, useCallback } from 'react';
import { type ChatEntry, describeFailure, mergeEntries, placeholderReply } from './chat-entries';
import type { ReplyAssembler } from './reply-assembler';
import { trpc } from './trpc-client';

interface ReplyRestartsDeps {
  setEntries: Dispatch<SetStateAction<ChatEntry[]>>;
  setSending: Dispatch<SetStateAction<number>>;
  setError: Dispatch<SetStateAction<string | null>>;
  assembler: ReplyAssembler;
  assembled: (entry: ChatEntry, assembler: ReplyAssembler) => ChatEntry;
}

/** Regenerate a reply, or edit a question and resend it: both drop the tail of the chat and start a reply. */
export function useReplyRestarts({
  setEntries,
  setSending,
  setError,
  assembler,
  assembled,
}: ReplyRestartsDeps) {
  /** Drops `fromId` (and, unless `keepFrom`, itself) and everything after it, then shows the new reply. */
  const restartFrom = useCallback(
    (fromId: string, keepFrom: boolean, started: { sessionId: string; replyId: string; model: string }) => {
      setEntries((list) => {
        const index = list.findIndex((entry) => entry.id === fromId);
        const kept = index < 0 ? list : list.slice(0, keepFrom ? index + 1 : index);
        for (const dropped of list.slice(kept.length)) assembler.forget(dropped.id);
        return mergeEntries(kept, [
          assembled(placeholderReply(started.sessionId, started.replyId, started.model), assembler),
        ]);
      });
    },
    [assembled, assembler, setEntries],
  );

  const regenerate = useCallback(
    (messageId: string, model?: string) => {
      setSending((count) => count + 1);
      trpc.chat.regenerate
        .mutate({ messageId, model })
        .then((started) => {
          restartFrom(messageId, false, started);
          setError(null);
        })
        .catch((cause: unknown) => setError(describeFailure(cause)))
        .finally(() => setSending((count) => count - 1));
    },
    [restartFrom, setError, setSending],
  );

  const editAndResend = useCallback(
    (messageId: string, content: string, model?: string) => {
      setSending((count) => count + 1);
      trpc.chat.editAndResend
        .mutate({ messageId, content, model })
        .then((started) => {
          setEntries((list) => list.map((entry) => (entry.id === messageId ? { ...entry, content } : entry)));
          restartFrom(messageId, true, started);
          setError(null);
        })
        .catch((cause: unknown) => setError(describeFailure(cause)))
        .finally(() => setSending((count) => count - 1));
    },
    [restartFrom, setEntries, setError, setSending],
  );

  return { regenerate, editAndResend };
}
