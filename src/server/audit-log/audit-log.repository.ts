import 'server-only';
import { sql } from 'kysely';
import type { DB } from '../db';

/** Every action the audit log records. Dotted: who acts (admin, account, device), on what, which verb. */
export type AuditAction =
  | 'admin.user.ban'
  | 'admin.user.unban'
  | 'admin.user.set_role'
  | 'admin.user.revoke_sessions'
  | 'account.device.revoke'
  | 'account.device.revoke_others'
  | 'account.delete'
  | 'account.password.reset'
  | 'account.two_factor.enable'
  | 'account.two_factor.disable';

export interface AuditEntry {
  actorId: string | null;
  action: AuditAction;
  targetUserId: string | null;
  /** What changed (old and new role, the ban reason) — never secrets, never message contents. */
  details?: Record<string, unknown>;
  requestId: string;
}

const columns = [
  'id',
  'actor_id',
  'action',
  'target_user_id',
  'details',
  'request_id',
  'created_at',
] as const;

export type AuditLogRow = Awaited<ReturnType<typeof auditLogRepository.listRecent>>[number];

export const auditLogRepository = Object.freeze({
  /** Called inside the transaction of the action it records, so neither lands without the other. */
  async insert(db: DB, entry: AuditEntry): Promise<void> {
    await db
      .insertInto('audit_log')
      .values({
        actor_id: entry.actorId,
        action: entry.action,
        target_user_id: entry.targetUserId,
        details: JSON.stringify(entry.details ?? {}),
        request_id: entry.requestId,
      })
      .execute();
  },

  /** Newest first; keyset on (created_at, id), served by audit_log_recent_idx. */
  async listRecent(
    db: DB,
    page: { before?: { at: string; id: string }; limit: number; targetUserId?: string },
  ) {
    let query = db
      .selectFrom('audit_log')
      .select(columns)
      .select(sql<string>`created_at::text`.as('cursor_at'));
    if (page.before) {
      query = query.where(
        sql<boolean>`(created_at, id) < (${page.before.at}::timestamptz, ${page.before.id}::bigint)`,
      );
    }
    if (page.targetUserId) query = query.where('target_user_id', '=', page.targetUserId);
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
  },
});
