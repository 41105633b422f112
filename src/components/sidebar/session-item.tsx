'use client';

import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import type { ChatSession } from '@/client/api-types';
import { errorMessage } from '@/client/error-message';
import { useSessionActions } from '@/client/session-list-provider';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Icon } from '../ui/icons';
import { SessionMenu } from './session-menu';

interface SessionItemProps {
  session: ChatSession;
  active: boolean;
  onNavigate?: () => void;
}

export function SessionItem({ session, active, onNavigate }: SessionItemProps) {
  const { rename, setPinned, remove } = useSessionActions();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submitRename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const title = String(new FormData(event.currentTarget).get('title') ?? '').trim();
    if (!title || title === session.title) {
      setEditing(false);
      return;
    }
    try {
      await rename(session.id, title);
      setEditing(false);
      setError(null);
    } catch (cause) {
      setError(errorMessage(cause, 'Could not rename'));
    }
  }

  const run = (action: () => Promise<void>) => () => {
    action().catch((cause: unknown) => setError(errorMessage(cause, 'That did not work')));
  };

  return (
    <li
      className={active ? 'session active' : 'session'}
      data-testid="sidebar-session"
      data-session-id={session.id}
    >
      {editing ? (
        <form className="rename-form" onSubmit={submitRename}>
          <input
            name="title"
            defaultValue={session.title}
            aria-label="Chat title"
            maxLength={200}
            // biome-ignore lint/a11y/noAutofocus: the user asked to rename this very item
            autoFocus
            data-testid="rename-input"
            onKeyDown={(event) => {
              if (event.key === 'Escape') setEditing(false);
            }}
            onBlur={(event) => event.currentTarget.form?.requestSubmit()}
          />
        </form>
      ) : (
        <Link
          href={`/c/${session.id}`}
          className="session-link"
          aria-current={active ? 'page' : undefined}
          onClick={onNavigate}
          data-testid="sidebar-session-title"
        >
          {session.pinnedAt && (
            <span className="pin-mark" data-testid="pin-mark">
              <Icon name="star" filled />
              <span className="visually-hidden">Pinned: </span>
            </span>
          )}
          <span className="session-title" title={session.title}>
            {session.title}
          </span>
        </Link>
      )}
      {!editing && (
        <SessionMenu
          title={session.title}
          actions={[
            { label: 'Rename', testId: 'session-rename', run: () => setEditing(true) },
            {
              label: session.pinnedAt ? 'Unpin' : 'Pin',
              testId: 'session-pin',
              run: run(() => setPinned(session.id, session.pinnedAt === null)),
            },
            { label: 'Delete…', testId: 'session-delete', danger: true, run: () => setConfirming(true) },
          ]}
        />
      )}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      <ConfirmDialog
        open={confirming}
        title="Delete chat?"
        confirmLabel="Delete"
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          run(() => remove(session.id))();
        }}
      >
        <p>“{session.title}” and all its messages will be deleted. This cannot be undone.</p>
      </ConfirmDialog>
    </li>
  );
}
