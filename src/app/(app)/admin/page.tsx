import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { currentSession } from '@/app/current-session';
import { AdminUsersTable } from '@/components/admin/admin-users-table';
import { AuditLogList } from '@/components/admin/audit-log-list';
import { UsageSummary } from '@/components/admin/usage-summary';
import { isAdminRole } from '@/shared/admin-role';
import '@/components/account/account-panels.css';

export const metadata: Metadata = { title: 'Admin · ChatTwelve' };

const USAGE_DAYS = 30;

/** The admin console; for anyone else the page does not exist. */
export default async function AdminPage() {
  const { ctx, caller } = await currentSession();
  if (!isAdminRole(ctx.session?.user.role)) notFound();
  const [users, usage, auditLog] = await Promise.all([
    caller.admin.users({ limit: 50 }),
    caller.admin.usage({ days: USAGE_DAYS }),
    caller.admin.auditLog({ limit: 30 }),
  ]);
  return (
    <main className="settings" aria-label="Admin console">
      <div className="settings-inner admin-inner">
        <h1>Admin</h1>
        <AdminUsersTable initial={users} currentUserId={ctx.session?.user.id ?? ''} />
        <UsageSummary report={usage} days={USAGE_DAYS} />
        <AuditLogList initial={auditLog} />
      </div>
    </main>
  );
}
