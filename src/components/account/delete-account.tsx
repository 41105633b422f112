'use client';

import { useState } from 'react';
import { errorMessage } from '@/client/error-message';
import { trpc } from '@/client/trpc-client';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';

/** Deleting the account removes all of its data; it asks for the password again, in a dialog. */
export function DeleteAccount() {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function deleteAccount() {
    if (!password || pending) return;
    setPending(true);
    setError(null);
    try {
      await trpc.account.delete.mutate({ password });
      // A full load: every cached page of this account is gone with it.
      window.location.assign('/sign-in');
    } catch (cause) {
      setError(errorMessage(cause, 'Could not delete your account'));
      setPending(false);
    }
  }

  return (
    <section aria-labelledby="delete-account-heading">
      <h2 id="delete-account-heading">Delete account</h2>
      <p className="muted small">
        Removes your account, every chat and message, and your exports. It cannot be undone.
      </p>
      <button type="button" className="danger" onClick={() => setOpen(true)} data-testid="delete-account">
        Delete my account
      </button>
      <ConfirmDialog
        open={open}
        title="Delete your account?"
        confirmLabel={pending ? 'Deleting…' : 'Delete account'}
        onConfirm={deleteAccount}
        onCancel={() => {
          setOpen(false);
          setPassword('');
          setError(null);
        }}
      >
        <p>Everything in it is deleted for good. Enter your password to confirm.</p>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            data-testid="delete-account-password"
          />
        </label>
        {error && (
          <p className="error small" role="alert">
            {error}
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}
