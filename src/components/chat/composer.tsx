'use client';

import { type FormEvent, type KeyboardEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useHydrated } from '@/client/use-hydrated';

export const MESSAGE_MAX_LENGTH = 32_000;

interface ComposerProps {
  busy: boolean;
  /** A reply is streaming: offer Stop instead of Send. */
  canStop: boolean;
  onSend(content: string): void;
  onStop(): void;
  /** Text to place in the box (edit & resend, a queued draft); the key changes each time it is offered. */
  draft?: { key: number; text: string };
  disabledReason?: string;
  /** Controls shown beside the hint (the model picker). */
  tools?: ReactNode;
}

/** Enter sends, Shift+Enter starts a new line; the box grows with its text up to a limit. */
export function Composer({ busy, canStop, onSend, onStop, draft, disabledReason, tools }: ComposerProps) {
  const [text, setText] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);
  // Server HTML takes typing but not Enter: read-only until React runs it, so nothing typed is lost.
  const hydrated = useHydrated();

  useEffect(() => {
    if (!draft) return;
    setText(draft.text);
    ref.current?.focus();
  }, [draft]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the box is measured again whenever its text changes
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    box.style.height = 'auto';
    box.style.height = `${Math.min(box.scrollHeight, 240)}px`;
  }, [text]);

  const tooLong = text.length > MESSAGE_MAX_LENGTH;
  const canSend = !busy && !disabledReason && text.trim().length > 0 && !tooLong;

  function send(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) return;
    onSend(text);
    setText('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  const nearLimit = text.length > MESSAGE_MAX_LENGTH * 0.9;
  return (
    <form className="composer" onSubmit={send} aria-label="Send a message">
      <textarea
        ref={ref}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        readOnly={!hydrated}
        placeholder="Message ChatTwelve"
        aria-label="Message"
        aria-describedby="composer-hint"
        rows={1}
        data-testid="composer"
        // biome-ignore lint/a11y/noAutofocus: a chat page exists to type into
        autoFocus
      />
      <div className="composer-bar">
        <div className="composer-tools">
          {tools}
          <span
            id="composer-hint"
            className={
              tooLong ? 'error small' : nearLimit || disabledReason ? 'muted small' : 'muted small idle-hint'
            }
          >
            {disabledReason ??
              (nearLimit
                ? `${text.length.toLocaleString('en')} / ${MESSAGE_MAX_LENGTH.toLocaleString('en')} characters`
                : 'Enter to send · Shift+Enter for a new line')}
          </span>
        </div>
        {canStop ? (
          <button
            type="button"
            className="stop"
            onClick={onStop}
            data-testid="stop"
            aria-label="Stop generating"
          >
            ■ Stop
          </button>
        ) : (
          <button type="submit" disabled={!canSend} data-testid="send" aria-label="Send message">
            {busy ? 'Sending…' : 'Send'}
          </button>
        )}
      </div>
    </form>
  );
}
