'use client';

import { type Dispatch, type RefObject, type SetStateAction, useCallback } from 'react';
import {
  type ChatEntry,
  describeFailure,
  mergeEntries,
  placeholderReply,
  sentQuestion,
} from './chat-entries';
import type { ReplyAssembler } from './reply-assembler';
import { trpc } from './trpc-client';

type MessageBranch = NonNullable<ChatEntry['branch']>;

interface ReplyRestartsDeps {
  setEntries: Dispatch<SetStateAction<ChatEntry[]>>;
  setSending: Dispatch<SetStateAction<number>>;
  setError: Dispatch<SetStateAction<string | null>>;
  assembler: ReplyAssembler;
  assembled: (entry: ChatEntry, assembler: ReplyAssembler) => ChatEntry;
  /** Reads the shown path again (the server's word on every message's versions). */
  resync: RefObject<() => void>;
}

/** `replaced`'s versions with one more, the new one last (the server lists them oldest first). */
function withNewVersion(replaced: ChatEntry, newId: string): MessageBranch {
  const siblingIds = [...(replaced.branch?.siblingIds ?? [replaced.id]), newId];
  return { index: siblingIds.length, count: siblingIds.length, siblingIds };
}

/**
 * Regenerate a reply, or edit a question and resend it: both add a new version beside the old one (which
 * stays, one branch switch away) and start a reply under it. The view shows the new branch at once.
 */
export function useReplyRestarts({
  setEntries,
  setSending,
  setError,
  assembler,
  assembled,
  resync,
}: ReplyRestartsDeps) {
  /** Shows `versions` in place of `replacedId` and what followed it, then asks the server for the truth. */
  const showNewBranch = useCallback(
    (replacedId: string, versions: (replaced: ChatEntry) => ChatEntry[]) => {
      setEntries((list) => {
        const index = list.findIndex((entry) => entry.id === replacedId);
        const replaced = list[index];
        if (!replaced) return list;
        return mergeEntries(list.slice(0, index), versions(replaced));
      });
      resync.current();
    },
    [resync, setEntries],
  );

  const regenerate = useCallback(
    (messageId: string, model?: string) => {
      setSending((count) => count + 1);
      trpc.chat.regenerate
        .mutate({ messageId, model })
        .then((started) => {
          showNewBranch(messageId, (replaced) => [
            {
              ...assembled(
                placeholderReply(started.sessionId, started.replyId, started.model, started.userMessageId),
                assembler,
              ),
              branch: withNewVersion(replaced, started.replyId),
            },
          ]);
          setError(null);
        })
        .catch((cause: unknown) => setError(describeFailure(cause)))
        .finally(() => setSending((count) => count - 1));
    },
    [assembled, assembler, showNewBranch, setError, setSending],
  );

  const editAndResend = useCallback(
    (messageId: string, content: string, model?: string) => {
      setSending((count) => count + 1);
      trpc.chat.editAndResend
        .mutate({ messageId, content, model })
        .then((started) => {
          showNewBranch(messageId, (replaced) => {
            return [
              sentQuestion(
                {
                  id: started.userMessageId,
                  sessionId: started.sessionId,
                  parentId: replaced.parentId,
                  content,
                },
                { branch: withNewVersion(replaced, started.userMessageId) },
              ),
              assembled(
                placeholderReply(started.sessionId, started.replyId, started.model, started.userMessageId),
                assembler,
              ),
            ];
          });
          setError(null);
        })
        .catch((cause: unknown) => setError(describeFailure(cause)))
        .finally(() => setSending((count) => count - 1));
    },
    [assembled, assembler, showNewBranch, setError, setSending],
  );

  return { regenerate, editAndResend };
}
