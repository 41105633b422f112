import 'server-only';
import type { BetterAuthTables } from '../better-auth-tables';
import type { DB } from '../db';

function sessions(db: DB) {
  return db.withTables<BetterAuthTables>();
}

export type DeviceRow = Awaited<ReturnType<typeof devicesRepository.listActive>>[number];

/** A device is one BetterAuth session; deleting its row signs that device out on its next request. */
export const devicesRepository = Object.freeze({
  /** The user's unexpired sessions, most recently refreshed first (admins' impersonations left out). */
  async listActive(db: DB, userId: string) {
    return sessions(db)
      .selectFrom('better_auth.session')
      .select(['id', 'userAgent', 'ipAddress', 'createdAt', 'updatedAt'])
      .where('userId', '=', userId)
      .where('expiresAt', '>', new Date())
      .where('impersonatedBy', 'is', null)
      .orderBy('updatedAt', 'desc')
      .orderBy('id')
      .execute();
  },

  /** Deletes one of the user's sessions; false when the user has no session with that id. */
  async delete(db: DB, userId: string, id: string): Promise<boolean> {
    const result = await sessions(db)
      .deleteFrom('better_auth.session')
      .where('userId', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  },

  async deleteAllExcept(db: DB, userId: string, keepId: string): Promise<number> {
    const result = await sessions(db)
      .deleteFrom('better_auth.session')
      .where('userId', '=', userId)
      .where('id', '!=', keepId)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  },
});
