'use client';

import { type FormEvent, useState } from 'react';
import type { AdminUser } from '@/client/account-api-types';
import { errorMessage } from '@/client/error-message';
import { trpc } from '@/client/trpc-client';
import { LocalTime } from '@/components/account/local-time';
import { UserAvatar } from '@/components/ui/user-avatar';

interface AdminUserRowProps {
  user: AdminUser;
  /** The signed-in admin's own row: no banning or demoting oneself from here. */
  isSelf: boolean;
  /** Has the app open now (Realtime presence). */
  online: boolean;
  onChange(user: AdminUser): void;
}

/** One user: role, ban state, and the actions (each lands in the audit log on the server). */
export function AdminUserRow({ user, isSelf, online, onChange }: AdminUserRowProps) {
  const [banning, setBanning] = useState(false);
  const [pending, setPending] = useState(false);
  const [note, setNote] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  async function act<T>(action: () => Promise<T>, done: (result: T) => string) {
    setPending(true);
    setNote(null);
    try {
      setNote({ kind: 'ok', text: done(await action()) });
    } catch (cause) {
      setNote({ kind: 'error', text: errorMessage(cause, 'That did not work') });
    } finally {
      setPending(false);
    }
  }

  function ban(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason')).trim();
    void act(
      () => trpc.admin.ban.mutate({ userId: user.id, reason }),
      (updated) => {
        onChange(updated);
        setBanning(false);
        return 'Banned.';
      },
    );
  }

  return (
    <tr data-testid="admin-user" data-email={user.email} data-online={online}>
      <td>
        <div className="admin-user-identity">
          <UserAvatar
            url={user.avatarUrl}
            name={user.name || user.email}
            className="admin-avatar"
            testId="admin-user-avatar"
          />
          <div>
            <div>{user.email}</div>
            <div className="muted small">
              {user.name}
              {user.twoFactorEnabled ? ' · two-factor on' : ''}
            </div>
          </div>
        </div>
      </td>
      <td>
        <select
          aria-label={`Role of ${user.email}`}
          value={user.role}
          disabled={pending || isSelf}
          onChange={(event) => {
            const role = event.target.value === 'admin' ? 'admin' : 'user';
            void act(
              () => trpc.admin.setRole.mutate({ userId: user.id, role }),
              (updated) => {
                onChange(updated);
                return `Role set to ${updated.role}.`;
              },
            );
          }}
        >
          <option value="user">user</option>
          <option value="admin">admin</option>
        </select>
      </td>
      <td>
        {user.banned ? (
          <span className="error small" title={user.banReason ?? undefined}>
            Banned{user.banReason ? `: ${user.banReason}` : ''}
          </span>
        ) : (
          <span className="muted small">Active</span>
        )}
      </td>
      <td className="small">
        {online ? (
          <span className="online-now" data-testid="admin-user-online">
            Online now
          </span>
        ) : user.lastSeenAt ? (
          <LocalTime value={user.lastSeenAt} />
        ) : (
          '—'
        )}
      </td>
      <td>
        <div className="row">
          {user.banned ? (
            <button
              type="button"
              className="secondary small"
              disabled={pending}
              onClick={() =>
                act(
                  () => trpc.admin.unban.mutate({ userId: user.id }),
                  (updated) => {
                    onChange(updated);
                    return 'Unbanned.';
                  },
                )
              }
            >
              Unban
            </button>
          ) : (
            !isSelf && (
              <button
                type="button"
                className="secondary small"
                disabled={pending}
                onClick={() => setBanning((open) => !open)}
                aria-expanded={banning}
              >
                Ban…
              </button>
            )
          )}
          <button
            type="button"
            className="secondary small"
            disabled={pending}
            onClick={() =>
              act(
                () => trpc.admin.revokeSessions.mutate({ userId: user.id }),
                (result) => `Signed out of ${result.revokedSessions} session(s).`,
              )
            }
          >
            Revoke sessions
          </button>
        </div>
        {banning && (
          <form className="row" onSubmit={ban} aria-label={`Ban ${user.email}`}>
            <input
              name="reason"
              required
              maxLength={500}
              placeholder="Reason"
              aria-label="Reason for the ban"
            />
            <button type="submit" className="danger small" disabled={pending}>
              Ban
            </button>
          </form>
        )}
        {note && (
          <p className={note.kind === 'error' ? 'error small' : 'muted small'} role="status">
            {note.text}
          </p>
        )}
      </td>
    </tr>
  );
}
