'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { authClient } from '@/client/auth-client';

type Mode = 'sign-in' | 'sign-up';

export function AuthForms() {
  const router = useRouter();
  const [mode, setMode] = useState<Mode>('sign-in');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

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
    setPending(false);
    if (result.error) {
      setError(result.error.message ?? 'Something went wrong');
      return;
    }
    router.refresh();
  }

  return (
    <section>
      <h1>{mode === 'sign-up' ? 'Create your account' : 'Sign in to ChatTwelve'}</h1>
      <form onSubmit={submit} aria-label={mode === 'sign-up' ? 'Sign up' : 'Sign in'}>
        {mode === 'sign-up' && (
          <label>
            Name
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
            autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'}
            data-testid="auth-password"
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={pending} data-testid="auth-submit">
          {mode === 'sign-up' ? 'Sign up' : 'Sign in'}
        </button>
      </form>
      <button
        type="button"
        className="secondary"
        onClick={() => setMode(mode === 'sign-up' ? 'sign-in' : 'sign-up')}
        data-testid="auth-switch"
      >
        {mode === 'sign-up' ? 'I have an account' : 'Create an account'}
      </button>
    </section>
  );
}
