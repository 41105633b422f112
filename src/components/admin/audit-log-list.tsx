'use client';

import { useState } from 'react';
import type { AuditLogPage } from '@/client/account-api-types';
import { errorMessage } from '@/client/error-message';
import { trpc } from '@/client/trpc-client';
import { LocalTime } from '@/components/account/local-time';
import { TableScroll } from './table-scroll';

const PAGE_SIZE = 30;

/** The most recent audited actions, newest first. */
export function AuditLogList({ initial }: { initial: AuditLogPage }) {
  const [entries, setEntries] = useState(initial.items);
  const [nextCursor, setNextCursor] = useState(initial.nextCursor);
  const [error, setError] = useState<string | null>(null);

  async function loadMore() {
    if (!nextCursor) return;
    try {
      const page = await trpc.admin.auditLog.query({ limit: PAGE_SIZE, cursor: nextCursor });
      setEntries((current) => [...current, ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (cause) {
      setError(errorMessage(cause, 'Could not load the audit log'));
    }
  }

  return (
    <section aria-labelledby="audit-heading" data-testid="admin-audit-log">
      <h2 id="audit-heading">Audit log</h2>
      <TableScroll label="Audit log" hidden={entries.length === 0}>
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Action</th>
              <th scope="col">By</th>
              <th scope="col">Target</th>
              <th scope="col">Request</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td className="small">
                  <LocalTime value={entry.createdAt} />
                </td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td className="small">{entry.actorId ?? 'system'}</td>
                <td className="small">{entry.targetUserId ?? '—'}</td>
                <td className="small muted">{entry.requestId}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {entries.length === 0 && <p className="muted small">Nothing audited yet.</p>}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      {nextCursor && (
        <button type="button" className="secondary" onClick={loadMore}>
          Older entries
        </button>
      )}
    </section>
  );
}
