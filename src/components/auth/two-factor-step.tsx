'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { authClient } from '@/client/auth-client';
import { useHydrated } from '@/client/use-hydrated';

/** Sign-in's second step once the password was right: a code from the authenticator app, or a backup code. */
export function TwoFactorStep() {
  const router = useRouter();
  const [useBackupCode, setUseBackupCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Before hydration a submit would be the browser's own: a GET carrying the fields in the URL.
  const hydrated = useHydrated();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code')).trim();
    setPending(true);
    setError(null);
    const result = useBackupCode
      ? await authClient.twoFactor.verifyBackupCode({ code })
      : await authClient.twoFactor.verifyTotp({ code });
    if (result.error) {
      setPending(false);
      setError(result.error.message ?? 'That code is not right');
      return;
    }
    router.replace('/');
    router.refresh();
  }

  return (
    <main className="auth-page">
      <section className="auth-card">
        <h1>Two-factor check</h1>
        <form onSubmit={submit} aria-label="Two-factor code" key={useBackupCode ? 'backup' : 'app'}>
          <label>
            {useBackupCode ? 'Backup code' : 'Code from your authenticator app'}
            <input
              name="code"
              required
              autoComplete="one-time-code"
              inputMode={useBackupCode ? 'text' : 'numeric'}
              maxLength={useBackupCode ? 64 : 6}
              // biome-ignore lint/a11y/noAutofocus: the only field of this step, reached by submitting the last one
              autoFocus
              data-testid="two-factor-step-code"
            />
          </label>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" disabled={pending || !hydrated} data-testid="two-factor-step-submit">
            {pending ? 'Please wait…' : 'Verify'}
          </button>
        </form>
        <p className="muted">
          <button
            type="button"
            className="ghost"
            onClick={() => {
              setUseBackupCode((current) => !current);
              setError(null);
            }}
            data-testid="two-factor-step-switch"
          >
            {useBackupCode ? 'Use a code from the app instead' : 'Use a backup code instead'}
          </button>
        </p>
      </section>
    </main>
  );
}
