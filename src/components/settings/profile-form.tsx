'use client';

import { type FormEvent, useState } from 'react';
import type { Profile } from '@/client/api-types';
import { errorMessage, fieldErrorsOf } from '@/client/error-message';
import { trpc } from '@/client/trpc-client';
import { FieldError } from '../ui/field-error';
import { AvatarUpload } from './avatar-upload';

export function ProfileForm({ initial, avatarUrl }: { initial: Profile; avatarUrl: string | null }) {
  const [profile, setProfile] = useState(initial);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [pending, setPending] = useState(false);
  const [nameError, setNameError] = useState<string | undefined>();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const displayName = String(form.get('displayName') ?? '').trim();
    setPending(true);
    try {
      const updated = await trpc.profile.update.mutate({ displayName: displayName || null });
      setProfile(updated);
      setNameError(undefined);
      setStatus({ kind: 'ok', text: 'Saved.' });
    } catch (cause) {
      const fieldError = fieldErrorsOf(cause).displayName;
      setNameError(fieldError);
      setStatus(fieldError ? null : { kind: 'error', text: errorMessage(cause, 'Could not save') });
    } finally {
      setPending(false);
    }
  }

  return (
    <section aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <AvatarUpload initialUrl={avatarUrl} />
      <p className="muted">{profile.email}</p>
      <form onSubmit={submit}>
        <label>
          Display name
          <input
            name="displayName"
            defaultValue={profile.displayName ?? ''}
            maxLength={80}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? 'profile-name-error' : undefined}
            data-testid="profile-name"
          />
          <FieldError id="profile-name-error" message={nameError} />
        </label>
        <div className="row">
          <button type="submit" disabled={pending} data-testid="profile-save">
            Save profile
          </button>
          {status && (
            <span className={status.kind === 'error' ? 'error small' : 'muted small'} role="status">
              {status.text}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
