import 'server-only';
import { sql } from 'kysely';
import type { BetterAuthTables } from '../better-auth-tables';
import type { DB } from '../db';
import type { KeysetCursor } from '../pagination/keyset-cursor';

/** BetterAuth's user and session tables, typed for the few columns the admin console touches. */
function authTables(db: DB) {
  return db.withTables<BetterAuthTables>();
}

const userColumns = [
  'u.id',
  'u.email',
  'u.name',
  'u.role',
  'u.banned',
  'u.banReason',
  'u.banExpires',
  'u.createdAt',
  'u.emailVerified',
  'u.twoFactorEnabled',
] as const;

/** `%`, `_` and `\` typed by an admin are literal characters, not LIKE wildcards. */
function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export type AdminUserRow = Awaited<ReturnType<typeof adminUsersRepository.list>>[number];

export const adminUsersRepository = Object.freeze({
  /**
   * Newest sign-ups first, keyset on (createdAt, id); each with when any of their sessions was last used,
   * from a correlated subquery on session_userId_idx, and their avatar's version from a join on its primary
   * key (one statement, no N+1).
   */
  async list(db: DB, page: { cursor?: KeysetCursor; limit: number; search?: string }) {
    let query = authTables(db)
      .selectFrom('better_auth.user as u')
      .leftJoin('avatars as a', 'a.user_id', 'u.id')
      .select(userColumns)
      .select('a.version as avatarVersion')
      .select((eb) => [
        sql<string>`u."createdAt"::text`.as('cursor_at'),
        eb
          .selectFrom('better_auth.session as s')
          .select((s) => s.fn.max('s.updatedAt').as('last_seen'))
          .whereRef('s.userId', '=', 'u.id')
          .as('lastSeenAt'),
      ]);
    if (page.cursor) {
      query = query.where(
        sql<boolean>`(u."createdAt", u.id) < (${page.cursor.at}::timestamptz, ${page.cursor.id})`,
      );
    }
    if (page.search) {
      const pattern = likePattern(page.search);
      query = query.where((eb) => eb.or([eb('u.email', 'ilike', pattern), eb('u.name', 'ilike', pattern)]));
    }
    return query.orderBy('u.createdAt', 'desc').orderBy('u.id', 'desc').limit(page.limit).execute();
  },

  async findIdByEmail(db: DB, email: string): Promise<string | undefined> {
    const row = await authTables(db)
      .selectFrom('better_auth.user as u')
      .select('u.id')
      .where(sql<string>`lower(u.email)`, '=', email.toLowerCase())
      .executeTakeFirst();
    return row?.id;
  },

  /** The user row, locked until the transaction ends so two admins' changes to one user serialize. */
  async findForUpdate(db: DB, userId: string) {
    return authTables(db)
      .selectFrom('better_auth.user as u')
      .select(['u.id', 'u.role', 'u.banned'])
      .where('u.id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
  },

  async find(db: DB, userId: string) {
    return authTables(db)
      .selectFrom('better_auth.user as u')
      .leftJoin('avatars as a', 'a.user_id', 'u.id')
      .select(userColumns)
      .select('a.version as avatarVersion')
      .select((eb) => [
        sql<string>`u."createdAt"::text`.as('cursor_at'),
        eb
          .selectFrom('better_auth.session as s')
          .select((s) => s.fn.max('s.updatedAt').as('last_seen'))
          .whereRef('s.userId', '=', 'u.id')
          .as('lastSeenAt'),
      ])
      .where('u.id', '=', userId)
      .executeTakeFirst();
  },

  async setRole(db: DB, userId: string, role: string): Promise<void> {
    await authTables(db)
      .updateTable('better_auth.user')
      .set({ role, updatedAt: new Date() })
      .where('id', '=', userId)
      .execute();
  },

  async setBan(
    db: DB,
    userId: string,
    ban: { reason: string; expiresAt: Date | null } | null,
  ): Promise<void> {
    await authTables(db)
      .updateTable('better_auth.user')
      .set({
        banned: ban !== null,
        banReason: ban?.reason ?? null,
        banExpires: ban?.expiresAt ?? null,
        updatedAt: new Date(),
      })
      .where('id', '=', userId)
      .execute();
  },

  /** Signs the user out everywhere: BetterAuth looks every session up in this table (cookie cache is off). */
  async deleteSessions(db: DB, userId: string): Promise<number> {
    const result = await authTables(db)
      .deleteFrom('better_auth.session')
      .where('userId', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  },
});
