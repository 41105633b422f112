'use client';

import { type FormEvent, useState } from 'react';
import { errorMessage } from '@/client/error-message';
import { trpc } from '@/client/trpc-client';

/** Turning two-factor off takes a current code as well as the password. */
export function TwoFactorDisableForm({ onDisabled }: { onDisabled(): void }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      await trpc.twoFactor.disable.mutate({
        code: String(form.get('code')).trim(),
        password: String(form.get('password')),
      });
      onDisabled();
    } catch (cause) {
      setError(errorMessage(cause, 'Could not turn two-factor off'));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label="Turn off two-factor">
      <label>
        Code from your authenticator app
        <input
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="\d{6}"
          required
          maxLength={6}
          data-testid="two-factor-disable-code"
        />
      </label>
      <label>
        Your password
        <input
          name="password"
          type="password"
          required
          autoComplete="current-password"
          data-testid="two-factor-disable-password"
        />
      </label>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="danger" disabled={pending} data-testid="two-factor-disable">
        Turn off two-factor
      </button>
    </form>
  );
}
