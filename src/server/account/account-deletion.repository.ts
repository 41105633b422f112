import 'server-only';
import type { BetterAuthTables } from '../better-auth-tables';
import type { DB } from '../db';

type Verification = {
  'better_auth.verification': { id: string; identifier: string; value: string };
};

export const accountDeletionRepository = Object.freeze({
  /** Pending reset and verification tokens for the user: they name the user in `value` or `identifier`. */
  async deleteVerifications(db: DB, user: { id: string; email: string }): Promise<void> {
    await db
      .withTables<Verification>()
      .deleteFrom('better_auth.verification')
      .where((eb) => eb.or([eb('value', '=', user.id), eb('identifier', '=', user.email)]))
      .execute();
  },

  /**
   * Deletes the user row; every table that holds the user's rows references it `on delete cascade` (sessions,
   * accounts, profile, prompts, chats, messages, counters, exports), and the audit log's `set null`.
   */
  async deleteUser(db: DB, userId: string): Promise<boolean> {
    const result = await db
      .withTables<BetterAuthTables>()
      .deleteFrom('better_auth.user')
      .where('id', '=', userId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  },
});
