'use client';

import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ChatEntry } from '@/client/chat-entries';
import { messageAnchorId, messageIdFromHash, REVEAL_MESSAGE_EVENT } from '@/client/message-anchor';
import { useHydrated } from '@/client/use-hydrated';
import { MessageItem } from './message-item';
import type { PrerenderedReplies } from './prerendered-replies';
import { useStickToBottom } from './use-stick-to-bottom';

/** A long chat opens on its latest messages; earlier ones are rendered when asked for. */
const INITIAL_WINDOW = 60;
const WINDOW_STEP = 100;

interface MessageListProps {
  messages: ChatEntry[];
  busy: boolean;
  /** Every message of the shown path is in `messages` (see ChatController.complete). */
  complete: boolean;
  /** Asks for the rest of the path (a chat opens on its newest messages). */
  onLoadEarlier(): void;
  prerendered?: PrerenderedReplies;
  onRegenerate(messageId: string): void;
  onEditAndResend(messageId: string, content: string): void;
  /** Shows the branch holding a message a link points at, when the shown path does not have it. */
  onRevealBranch(messageId: string): void;
}

export function MessageList({
  messages,
  busy,
  complete,
  onLoadEarlier,
  prerendered,
  onRegenerate,
  onEditAndResend,
  onRevealBranch,
}: MessageListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [windowSize, setWindowSize] = useState(INITIAL_WINDOW);
  const heightBeforeGrowing = useRef<number | null>(null);
  const hydrated = useHydrated();
  const last = messages.at(-1);
  const { scrollToBottom, awayFromBottom } = useStickToBottom(
    scroller,
    `${messages.length}:${last?.content.length ?? 0}:${last?.status}`,
  );
  // The user's own new message brings the view back down, even if they had scrolled up to read.
  const lastOwnMessage = last?.role === 'user' ? last.id : undefined;
  useEffect(() => {
    if (lastOwnMessage) scrollToBottom();
  }, [lastOwnMessage, scrollToBottom]);
  const lastReplyId = messages.findLast((message) => message.role === 'assistant')?.id;
  // A message a link points at (#message-<id>, a search hit) is rendered even when it is further back than
  // the window (the window grows down to it once the chat has it, the rest of the path fetched if need be) or
  // in a version not shown (its branch is shown, once: the whole path lacks it); then it is brought into view
  // and marked.
  const [revealId, setRevealId] = useState<string | null>(null);
  const branchAskedFor = useRef<string | null>(null);
  const earlierAskedFor = useRef<string | null>(null);
  useEffect(() => {
    setRevealId(messageIdFromHash(window.location.hash));
    const onReveal = (event: Event) => setRevealId((event as CustomEvent<string>).detail);
    window.addEventListener(REVEAL_MESSAGE_EVENT, onReveal);
    return () => window.removeEventListener(REVEAL_MESSAGE_EVENT, onReveal);
  }, []);
  useEffect(() => {
    if (!revealId) return;
    const index = messages.findIndex((message) => message.id === revealId);
    if (index >= 0 && index < messages.length - windowSize) setWindowSize(messages.length - index);
    if (index < 0 && !complete && earlierAskedFor.current !== revealId) {
      earlierAskedFor.current = revealId;
      onLoadEarlier();
    }
    if (index < 0 && complete && branchAskedFor.current !== revealId) {
      branchAskedFor.current = revealId;
      onRevealBranch(revealId);
    }
  }, [revealId, messages, windowSize, complete, onLoadEarlier, onRevealBranch]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once the window has rendered more messages
  useEffect(() => {
    const element = revealId && document.getElementById(messageAnchorId(revealId));
    if (!element) return;
    element.scrollIntoView({ block: 'center' });
    element.setAttribute('data-search-hit', 'true');
    setRevealId(null);
  }, [revealId, messages, windowSize]);
  const hidden = Math.max(0, messages.length - windowSize);
  const visible = hidden > 0 ? messages.slice(hidden) : messages;

  // Showing earlier messages keeps the ones the user was reading in place.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the window grows
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && heightBeforeGrowing.current !== null) {
      element.scrollTop += element.scrollHeight - heightBeforeGrowing.current;
      heightBeforeGrowing.current = null;
    }
  }, [windowSize]);

  return (
    <div className="messages-frame">
      <div className="messages" ref={scroller} data-testid="messages">
        <div className="messages-inner">
          {(hidden > 0 || !complete) && (
            <button
              type="button"
              className="secondary small show-earlier"
              data-testid="show-earlier"
              disabled={!hydrated}
              onClick={() => {
                heightBeforeGrowing.current = scroller.current?.scrollHeight ?? null;
                setWindowSize((size) => size + WINDOW_STEP);
                if (!complete && hidden < WINDOW_STEP) onLoadEarlier();
              }}
            >
              {complete || hidden >= WINDOW_STEP
                ? `Show ${Math.min(hidden, WINDOW_STEP)} earlier messages`
                : 'Show earlier messages'}
            </button>
          )}
          {visible.map((message) => (
            <MessageItem
              key={message.id}
              message={message}
              isLastReply={message.id === lastReplyId}
              busy={busy}
              prerendered={prerendered?.[message.id]}
              onRegenerate={onRegenerate}
              onEditAndResend={onEditAndResend}
            />
          ))}
        </div>
      </div>
      {awayFromBottom && (
        <button
          type="button"
          className="jump-to-latest secondary small"
          data-testid="jump-to-latest"
          onClick={scrollToBottom}
        >
          ↓ Jump to latest
        </button>
      )}
    </div>
  );
}
