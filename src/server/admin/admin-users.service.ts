import 'server-only';
import { env } from '@/env';
import { auditLogRepository } from '../audit-log/audit-log.repository';
import { avatarsService } from '../avatars/avatars.service';
import type { DB } from '../db';
import { NotAllowedError, NotFoundError } from '../domain-errors';
import { type Page, toPage } from '../pagination/keyset-cursor';
import type { BanUserInput, ListUsersInput, Role } from './admin.schema';
import { type AdminUserRow, adminUsersRepository } from './admin-users.repository';

/** The admin acting, and the request they act in (both go into the audit log). */
export interface AdminActor {
  userId: string;
  requestId: string;
}

export interface AdminUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  banned: boolean;
  banReason: string | null;
  banExpiresAt: Date | null;
  createdAt: Date;
  lastSeenAt: Date | null;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  /** A signed link to their picture (valid for an hour), or null: the console then shows initials. */
  avatarUrl: string | null;
}

function toAdminUser(row: AdminUserRow): AdminUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    // Rows created before the admin plugin have no role: they are plain users.
    role: row.role === 'admin' ? 'admin' : 'user',
    banned: row.banned === true,
    banReason: row.banReason,
    banExpiresAt: row.banExpires,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt ? new Date(row.lastSeenAt) : null,
    emailVerified: row.emailVerified,
    twoFactorEnabled: row.twoFactorEnabled === true,
    avatarUrl: row.avatarVersion
      ? avatarsService.linkTo(env().BETTER_AUTH_SECRET, row.id, row.avatarVersion)
      : null,
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Each change runs in one transaction with its audit row: an action is never left unrecorded, and a
 * failed action leaves no record of having happened.
 */
async function changeUser(
  db: DB,
  targetUserId: string,
  change: (trx: DB, target: { id: string; role: string | null; banned: boolean | null }) => Promise<void>,
): Promise<AdminUser> {
  return db.transaction().execute(async (trx) => {
    const target = await adminUsersRepository.findForUpdate(trx, targetUserId);
    if (!target) throw new NotFoundError('User');
    await change(trx, target);
    const row = await adminUsersRepository.find(trx, targetUserId);
    if (!row) throw new NotFoundError('User');
    return toAdminUser(row);
  });
}

export const adminUsersService = Object.freeze({
  async list(db: DB, input: ListUsersInput): Promise<Page<AdminUser>> {
    const rows = await adminUsersRepository.list(db, {
      cursor: input.cursor,
      limit: input.limit + 1,
      search: input.search || undefined,
    });
    return toPage(rows, input.limit, toAdminUser);
  },

  /** Bans and signs the user out everywhere; BetterAuth's admin plugin refuses their next sign-in. */
  async ban(db: DB, actor: AdminActor, input: BanUserInput): Promise<AdminUser> {
    if (input.userId === actor.userId) throw new NotAllowedError('You cannot ban yourself');
    const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * DAY_MS) : null;
    return changeUser(db, input.userId, async (trx) => {
      await adminUsersRepository.setBan(trx, input.userId, { reason: input.reason, expiresAt });
      const revokedSessions = await adminUsersRepository.deleteSessions(trx, input.userId);
      await auditLogRepository.insert(trx, {
        actorId: actor.userId,
        action: 'admin.user.ban',
        targetUserId: input.userId,
        details: { reason: input.reason, expiresAt: expiresAt?.toISOString() ?? null, revokedSessions },
        requestId: actor.requestId,
      });
    });
  },

  async unban(db: DB, actor: AdminActor, userId: string): Promise<AdminUser> {
    return changeUser(db, userId, async (trx, target) => {
      await adminUsersRepository.setBan(trx, userId, null);
      await auditLogRepository.insert(trx, {
        actorId: actor.userId,
        action: 'admin.user.unban',
        targetUserId: userId,
        details: { wasBanned: target.banned === true },
        requestId: actor.requestId,
      });
    });
  },

  /** An admin cannot demote themselves, so the last admin cannot lock everyone out by mistake. */
  async setRole(db: DB, actor: AdminActor, userId: string, role: Role): Promise<AdminUser> {
    if (userId === actor.userId && role !== 'admin') {
      throw new NotAllowedError('You cannot remove your own admin role; ask another admin');
    }
    return changeUser(db, userId, async (trx, target) => {
      await adminUsersRepository.setRole(trx, userId, role);
      await auditLogRepository.insert(trx, {
        actorId: actor.userId,
        action: 'admin.user.set_role',
        targetUserId: userId,
        details: { from: target.role ?? 'user', to: role },
        requestId: actor.requestId,
      });
    });
  },

  /**
   * Makes the account with this email an admin, from the command line (`npm run admin:grant`): how the first
   * admin comes to be. Audited with no actor.
   */
  async grantAdminByEmail(db: DB, email: string, requestId: string): Promise<AdminUser> {
    const userId = await adminUsersRepository.findIdByEmail(db, email);
    if (!userId) throw new NotFoundError(`User ${email}`);
    return changeUser(db, userId, async (trx, target) => {
      await adminUsersRepository.setRole(trx, userId, 'admin');
      await auditLogRepository.insert(trx, {
        actorId: null,
        action: 'admin.user.set_role',
        targetUserId: userId,
        details: { from: target.role ?? 'user', to: 'admin', via: 'command line' },
        requestId,
      });
    });
  },

  /** Signs the user out on every device; their next request is UNAUTHORIZED. */
  async revokeSessions(db: DB, actor: AdminActor, userId: string): Promise<{ revokedSessions: number }> {
    let revokedSessions = 0;
    await changeUser(db, userId, async (trx) => {
      revokedSessions = await adminUsersRepository.deleteSessions(trx, userId);
      await auditLogRepository.insert(trx, {
        actorId: actor.userId,
        action: 'admin.user.revoke_sessions',
        targetUserId: userId,
        details: { revokedSessions },
        requestId: actor.requestId,
      });
    });
    return { revokedSessions };
  },
});
