'use client';

import { createContext, useContext } from 'react';
import type { ChatEntry } from '@/client/chat-entries';

/** Shows another version of a message; provided by the chat view, so the list between needs no new prop. */
export const SwitchBranchContext = createContext<(messageId: string) => void>(() => {});

/**
 * ‹ 2/3 › under a message that has other versions (edits of a question, regenerations of a reply): each arrow
 * shows the neighbouring version and the newest path under it. The server remembers the choice, so it
 * survives a reload and reaches the user's other tabs.
 */
export function BranchSwitcher({ message }: { message: ChatEntry }) {
  const switchBranch = useContext(SwitchBranchContext);
  const branch = message.branch;
  if (!branch) return null;
  const previous = branch.siblingIds[branch.index - 2];
  const next = branch.siblingIds[branch.index];
  const noun = message.role === 'user' ? 'message' : 'reply';
  return (
    <fieldset className="branch-switcher" aria-label={`Versions of this ${noun}`}>
      <button
        type="button"
        className="ghost small"
        aria-label={`Previous version of this ${noun}`}
        disabled={!previous}
        onClick={() => previous && switchBranch(previous)}
        data-testid="message-branch-prev"
      >
        <span aria-hidden="true">‹</span>
      </button>
      <span className="branch-index small" data-testid="message-branch-index">
        {branch.index}/{branch.count}
      </span>
      <button
        type="button"
        className="ghost small"
        aria-label={`Next version of this ${noun}`}
        disabled={!next}
        onClick={() => next && switchBranch(next)}
        data-testid="message-branch-next"
      >
        <span aria-hidden="true">›</span>
      </button>
    </fieldset>
  );
}
