'use client';

import { type FormEvent, useState } from 'react';
import type { Profile } from '@/client/api-types';
import { trpc } from '@/client/trpc-client';

export function ProfileForm({ initial }: { initial: Profile }) {
  const [profile, setProfile] = useState(initial);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const displayName = String(form.get('displayName') ?? '').trim();
    const avatarUrl = String(form.get('avatarUrl') ?? '').trim();
    setPending(true);
    try {
      const updated = await trpc.profile.update.mutate({
        displayName: displayName || null,
        avatarUrl: avatarUrl || null,
      });
      setProfile(updated);
      setStatus({ kind: 'ok', text: 'Saved.' });
    } catch (cause) {
      setStatus({ kind: 'error', text: cause instanceof Error ? cause.message : 'Could not save' });
    } finally {
      setPending(false);
    }
  }

  return (
    <section aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <div className="row">
        {profile.avatarUrl ? (
          // biome-ignore lint/performance/noImgElement: a user-supplied URL from any host
          <img className="avatar" src={profile.avatarUrl} alt="Your avatar" width={48} height={48} />
        ) : (
          <span className="avatar" aria-hidden="true" />
        )}
        <span className="muted">{profile.email}</span>
      </div>
      <form onSubmit={submit}>
        <label>
          Display name
          <input
            name="displayName"
            defaultValue={profile.displayName ?? ''}
            maxLength={80}
            data-testid="profile-name"
          />
        </label>
        <label>
          Avatar URL
          <input name="avatarUrl" type="url" defaultValue={profile.avatarUrl ?? ''} placeholder="https://…" />
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
