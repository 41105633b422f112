'use client';

import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { authClient } from '@/client/auth-client';
import { useHydrated } from '@/client/use-hydrated';

type Outcome = { kind: 'error' | 'done'; text: string } | null;

/** Password reset: request a link by email, or (with the link's token) choose a new password. */
export function ResetPasswordForms({ token, linkInvalid }: { token: string | null; linkInvalid: boolean }) {
  const [outcome, setOutcome] = useState<Outcome>(
    linkInvalid
      ? { kind: 'error', text: 'That reset link is invalid or has expired. Ask for a new one.' }
      : null,
  );
  const [pending, setPending] = useState(false);
  // Before hydration a submit would be the browser's own: a GET carrying the fields in the URL.
  const hydrated = useHydrated();

  async function requestLink(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email'));
    setPending(true);
    const result = await authClient.requestPasswordReset({ email, redirectTo: '/reset-password' });
    setPending(false);
    setOutcome(
      result.error
        ? { kind: 'error', text: result.error.message ?? 'Could not send the link' }
        : { kind: 'done', text: 'If that address has an account, a reset link is on its way.' },
    );
  }

  async function choosePassword(event: FormEvent<HTMLFormElement>, resetToken: string) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const newPassword = String(form.get('password'));
    if (newPassword !== String(form.get('confirm'))) {
      setOutcome({ kind: 'error', text: 'The two passwords differ' });
      return;
    }
    setPending(true);
    const result = await authClient.resetPassword({ newPassword, token: resetToken });
    setPending(false);
    setOutcome(
      result.error
        ? { kind: 'error', text: result.error.message ?? 'Could not reset the password' }
        : { kind: 'done', text: 'Your password is changed. Sign in with it.' },
    );
  }

  const done = outcome?.kind === 'done';
  return (
    <main className="auth-page">
      <section className="auth-card">
        <h1>{token ? 'Choose a new password' : 'Reset your password'}</h1>
        {!done &&
          (token ? (
            <form onSubmit={(event) => choosePassword(event, token)} aria-label="New password">
              <label>
                New password
                <input
                  name="password"
                  type="password"
                  required
                  minLength={8}
                  autoComplete="new-password"
                  data-testid="reset-password"
                />
              </label>
              <label>
                Repeat it
                <input
                  name="confirm"
                  type="password"
                  required
                  minLength={8}
                  autoComplete="new-password"
                  data-testid="reset-password-confirm"
                />
              </label>
              <button type="submit" disabled={pending || !hydrated} data-testid="reset-submit">
                Set password
              </button>
            </form>
          ) : (
            <form onSubmit={requestLink} aria-label="Request a reset link">
              <label>
                Email
                <input name="email" type="email" required autoComplete="email" data-testid="reset-email" />
              </label>
              <button type="submit" disabled={pending || !hydrated} data-testid="reset-request">
                Send reset link
              </button>
            </form>
          ))}
        {outcome && (
          <p
            className={outcome.kind === 'error' ? 'error' : 'muted'}
            role={outcome.kind === 'error' ? 'alert' : 'status'}
          >
            {outcome.text}
          </p>
        )}
        <p className="muted">
          <Link href="/sign-in">Back to sign in</Link>
        </p>
      </section>
    </main>
  );
}
