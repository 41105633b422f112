'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { authClient } from '@/client/auth-client';
import { useHydrated } from '@/client/use-hydrated';
import { TwoFactorStep } from './two-factor-step';

type Mode = 'sign-in' | 'sign-up';

export function AuthForms({ mode }: { mode: Mode }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Before hydration a submit would be the browser's own: a GET carrying the fields in the URL.
  const hydrated = useHydrated();
  const [needsTwoFactor, setNeedsTwoFactor] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email'));
    const password = String(form.get('password'));
    setPending(true);
    setError(null);
    const result =
      mode === 'sign-up'
        ? await authClient.signUp.email({
            email,
            password,
            name: String(form.get('name') || email.split('@')[0]),
          })
        : await authClient.signIn.email({ email, password });
    if (result.error) {
      setPending(false);
      setError(result.error.message ?? 'Something went wrong');
      return;
    }
    if (result.data && 'twoFactorRedirect' in result.data && result.data.twoFactorRedirect) {
      setNeedsTwoFactor(true);
      return;
    }
    router.replace('/');
    router.refresh();
  }

  if (needsTwoFactor) return <TwoFactorStep />;
  const title = mode === 'sign-up' ? 'Create your account' : 'Sign in to ChatTwelve';
  return (
    <main className="auth-page">
      <section className="auth-card">
        <h1>{title}</h1>
        <form onSubmit={submit} aria-label={mode === 'sign-up' ? 'Sign up' : 'Sign in'}>
          {mode === 'sign-up' && (
            <label>
              <span>
                Name <span className="muted small">(optional)</span>
              </span>
              <input name="name" autoComplete="name" maxLength={80} data-testid="auth-name" />
            </label>
          )}
          <label>
            Email
            <input name="email" type="email" required autoComplete="email" data-testid="auth-email" />
          </label>
          <label>
            Password
            <input
              name="password"
              type="password"
              required
              minLength={8}
              maxLength={128}
              autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'}
              aria-describedby={mode === 'sign-up' ? 'password-rules' : undefined}
              data-testid="auth-password"
            />
            {mode === 'sign-up' && (
              <span id="password-rules" className="muted small" data-testid="password-rules">
                At least 8 characters (up to 128).
              </span>
            )}
          </label>
          {mode === 'sign-in' && (
            <Link href="/reset-password" className="small" data-testid="forgot-password">
              Forgot password?
            </Link>
          )}
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" disabled={pending || !hydrated} data-testid="auth-submit">
            {pending ? 'Please wait…' : mode === 'sign-up' ? 'Sign up' : 'Sign in'}
          </button>
        </form>
        <p className="muted">
          {mode === 'sign-up' ? 'Already have an account? ' : 'New here? '}
          <Link href={mode === 'sign-up' ? '/sign-in' : '/sign-up'} data-testid="auth-switch">
            {mode === 'sign-up' ? 'Sign in' : 'Create an account'}
          </Link>
        </p>
      </section>
    </main>
  );
}
