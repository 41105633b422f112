'use client';

import { type Dispatch, type RefObject, type SetStateAction, useCallback } from 'react';
import { describeFailure } from './chat-entries';
import { trpc } from './trpc-client';

interface BranchSwitchDeps {
  /** The open chat's id (null before its first message). */
  sessionRef: RefObject<string | null>;
  setError: Dispatch<SetStateAction<string | null>>;
  /** Reads the shown path again once the server shows another one. */
  resync: RefObject<() => void>;
}

export interface BranchSwitch {
  /** Shows another version of a message (and the newest path under it), here and in every tab. */
  switchBranch(messageId: string): void;
  /**
   * Shows the branch holding a message a link points at (a search hit in a version not shown). Quiet: a link
   * to a message that is gone, or someone else's, changes nothing and is no error of the user's.
   */
  revealBranch(messageId: string): void;
}

export function useBranchSwitch({ sessionRef, setError, resync }: BranchSwitchDeps): BranchSwitch {
  const show = useCallback(
    (messageId: string, onFailure: (cause: unknown) => void) => {
      const sessionId = sessionRef.current;
      if (!sessionId) return;
      trpc.chat.switchBranch
        .mutate({ sessionId, messageId })
        .then(() => {
          setError(null);
          resync.current();
        })
        .catch(onFailure);
    },
    [sessionRef, setError, resync],
  );
  const switchBranch = useCallback(
    (messageId: string) => show(messageId, (cause) => setError(describeFailure(cause))),
    [show, setError],
  );
  const revealBranch = useCallback((messageId: string) => show(messageId, () => {}), [show]);
  return { switchBranch, revealBranch };
}
