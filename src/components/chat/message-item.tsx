'use client';

import { type FormEvent, memo, type ReactNode, useState } from 'react';
import type { ChatMessage } from '@/client/api-types';
import type { ChatEntry } from '@/client/chat-entries';
import { messageAnchorId } from '@/client/message-anchor';
import { useSmoothText } from '@/client/use-smooth-text';
import { CopyButton } from '@/components/ui/copy-button';
import { BranchSwitcher } from './branch-switcher';
import { LazyMarkdownText } from './lazy-markdown-text';

interface MessageItemProps {
  message: ChatEntry;
  /** Regenerate / retry is offered on the last reply only. */
  isLastReply: boolean;
  busy: boolean;
  /** The server's rendering of this reply, used while the reply still has the text it was rendered from. */
  prerendered?: { text: string; node: ReactNode };
  onRegenerate(messageId: string): void;
  onEditAndResend(messageId: string, content: string): void;
}

function failureReason(message: ChatMessage): string | null {
  const failure = message.metadata?.error;
  if (typeof failure === 'string') return failure;
  if (failure && typeof failure === 'object' && 'reason' in failure && typeof failure.reason === 'string') {
    return failure.reason;
  }
  return null;
}

function ReplyStatus({ message }: { message: ChatMessage }) {
  switch (message.status) {
    case 'streaming':
      return (
        <span className="typing" data-testid="streaming-indicator">
          <span className="visually-hidden">Replying…</span>
          <span aria-hidden="true" className="dots">
            <i />
            <i />
            <i />
          </span>
        </span>
      );
    case 'stopped':
      return (
        <p className="reply-status muted small" data-testid="reply-stopped">
          Stopped
        </p>
      );
    case 'interrupted':
      return (
        <p className="reply-status warning small" data-testid="reply-interrupted">
          The reply was interrupted (the server restarted).
        </p>
      );
    case 'error':
      return (
        <p className="reply-status error small" role="alert" data-testid="reply-error">
          {failureReason(message) ?? 'The model failed to reply.'}
        </p>
      );
    default:
      return null;
  }
}

export const MessageItem = memo(function MessageItem({
  message,
  isLastReply,
  busy,
  prerendered,
  onRegenerate,
  onEditAndResend,
}: MessageItemProps) {
  const [editing, setEditing] = useState(false);
  const streaming = message.role === 'assistant' && message.status === 'streaming';
  // Deltas arrive a few times a second; the text between them is revealed at a steady pace.
  const shownText = useSmoothText(message.content, streaming);

  if (message.role === 'user') {
    const submitEdit = (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const content = String(new FormData(event.currentTarget).get('content') ?? '').trim();
      setEditing(false);
      if (content && content !== message.content) onEditAndResend(message.id, content);
    };
    return (
      <article
        id={messageAnchorId(message.id)}
        className="message user"
        data-testid="message-user"
        data-pending={message.pending}
        aria-label="You said"
      >
        {editing ? (
          <form className="edit-form" onSubmit={submitEdit}>
            <textarea
              name="content"
              defaultValue={message.content}
              aria-label="Edit message"
              data-testid="edit-input"
              // biome-ignore lint/a11y/noAutofocus: the user asked to edit this message
              autoFocus
              onKeyDown={(event) => {
                if (event.key === 'Escape') setEditing(false);
                if (event.key === 'Enter' && !event.shiftKey) {
                  event.preventDefault();
                  event.currentTarget.form?.requestSubmit();
                }
              }}
            />
            <div className="row end">
              <button type="button" className="secondary small" onClick={() => setEditing(false)}>
                Cancel
              </button>
              <button type="submit" className="small" data-testid="edit-submit">
                Send
              </button>
            </div>
          </form>
        ) : (
          <div className="bubble" data-testid="message-text">
            {message.content}
          </div>
        )}
        {message.pending === 'queued' && (
          <p className="muted small" data-testid="message-queued">
            Offline: will be sent when the connection returns
          </p>
        )}
        {!editing && !message.pending && (
          <div className="message-actions">
            <BranchSwitcher message={message} />
            <CopyButton label="Copy message" text={() => message.content} />
            <button
              type="button"
              className="ghost small"
              disabled={busy}
              onClick={() => setEditing(true)}
              data-testid="edit-message"
            >
              Edit
            </button>
          </div>
        )}
      </article>
    );
  }

  const failed = message.status === 'error' || message.status === 'interrupted';
  return (
    <article
      id={messageAnchorId(message.id)}
      className="message assistant"
      data-testid="message-assistant"
      data-status={message.status}
      aria-label="Assistant said"
      aria-busy={streaming}
    >
      <div className="reply" data-testid="message-text">
        {prerendered && !streaming && prerendered.text === message.content ? (
          prerendered.node
        ) : (
          <LazyMarkdownText text={shownText} streaming={streaming} />
        )}
      </div>
      <ReplyStatus message={message} />
      {streaming && message.branch && (
        // while the new version streams, the earlier ones stay one click away
        <div className="message-actions">
          <BranchSwitcher message={message} />
        </div>
      )}
      {!streaming && (
        <div className="message-actions">
          <BranchSwitcher message={message} />
          <CopyButton label="Copy reply" text={() => message.content} />
          {isLastReply && (
            <button
              type="button"
              className="ghost small"
              disabled={busy}
              onClick={() => onRegenerate(message.id)}
              data-testid={failed ? 'retry' : 'regenerate'}
            >
              {failed ? 'Retry' : 'Regenerate'}
            </button>
          )}
          {message.model && <span className="muted small model-label">{message.model}</span>}
        </div>
      )}
    </article>
  );
});
