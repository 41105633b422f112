import 'server-only';
import type { DB } from '../db';
import { type KeysetCursor, type Page, toPage } from '../pagination/keyset-cursor';
import { type AuditLogRow, auditLogRepository } from './audit-log.repository';

export interface AuditLogEntry {
  id: string;
  actorId: string | null;
  action: string;
  targetUserId: string | null;
  details: Record<string, unknown>;
  requestId: string;
  createdAt: Date;
}

function toAuditLogEntry(row: AuditLogRow): AuditLogEntry {
  return {
    id: row.id,
    actorId: row.actor_id,
    action: row.action,
    targetUserId: row.target_user_id,
    details: row.details,
    requestId: row.request_id,
    createdAt: row.created_at,
  };
}

export const auditLogService = Object.freeze({
  async list(
    db: DB,
    input: { cursor?: KeysetCursor; limit: number; targetUserId?: string },
  ): Promise<Page<AuditLogEntry>> {
    const rows = await auditLogRepository.listRecent(db, {
      before: input.cursor,
      limit: input.limit + 1,
      targetUserId: input.targetUserId,
    });
    return toPage(rows, input.limit, toAuditLogEntry);
  },
});
