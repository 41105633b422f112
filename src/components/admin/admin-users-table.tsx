'use client';

import { useEffect, useRef, useState } from 'react';
import type { AdminUser, AdminUserPage } from '@/client/account-api-types';
import { errorMessage } from '@/client/error-message';
import { trpc } from '@/client/trpc-client';
import { useOnlineUsers } from '@/client/use-presence';
import { AdminUserRow } from './admin-user-row';
import { TableScroll } from './table-scroll';

const PAGE_SIZE = 50;

/** Users, searchable by email or name, each with its admin actions. */
export function AdminUsersTable({
  initial,
  currentUserId,
}: {
  initial: AdminUserPage;
  currentUserId: string;
}) {
  const [users, setUsers] = useState(initial.items);
  const [nextCursor, setNextCursor] = useState(initial.nextCursor);
  const [search, setSearch] = useState('');
  const [error, setError] = useState<string | null>(null);
  const firstRender = useRef(true);
  const onlineUserIds = useOnlineUsers();

  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      trpc.admin.users
        .query({ limit: PAGE_SIZE, search: search.trim() || undefined })
        .then((page) => {
          if (!current) return;
          setUsers(page.items);
          setNextCursor(page.nextCursor);
          setError(null);
        })
        .catch((cause: unknown) => current && setError(errorMessage(cause, 'Could not load users')));
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [search]);

  async function loadMore() {
    if (!nextCursor) return;
    try {
      const page = await trpc.admin.users.query({
        limit: PAGE_SIZE,
        cursor: nextCursor,
        search: search.trim() || undefined,
      });
      setUsers((current) => [...current, ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (cause) {
      setError(errorMessage(cause, 'Could not load users'));
    }
  }

  function replace(updated: AdminUser) {
    setUsers((current) => current.map((user) => (user.id === updated.id ? updated : user)));
  }

  return (
    <section aria-labelledby="admin-users-heading" data-testid="admin-users">
      <h2 id="admin-users-heading">Users</h2>
      {/* Empty until presence has synced: the admin is online too, so never a misleading 0. */}
      <p className="muted small" data-testid="admin-online-count" aria-live="polite">
        {onlineUserIds.size === 0
          ? ''
          : onlineUserIds.size === 1
            ? '1 user online now'
            : `${onlineUserIds.size} users online now`}
      </p>
      <label>
        Search by email or name
        <input
          type="search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          data-testid="admin-user-search"
        />
      </label>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      <TableScroll label="Users" hidden={users.length === 0}>
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Last seen</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <AdminUserRow
                key={user.id}
                user={user}
                isSelf={user.id === currentUserId}
                online={onlineUserIds.has(user.id)}
                onChange={replace}
              />
            ))}
          </tbody>
        </table>
      </TableScroll>
      {users.length === 0 && <p className="muted small">No users match.</p>}
      {nextCursor && (
        <button type="button" className="secondary" onClick={loadMore}>
          Load more
        </button>
      )}
    </section>
  );
}
