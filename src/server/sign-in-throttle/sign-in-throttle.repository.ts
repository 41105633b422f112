import 'server-only';
import { sql } from 'kysely';
import type { DB } from '../db';

export const signInThrottleRepository = Object.freeze({
  /**
   * The address's failure count and seconds since its last failure, locking the row until the caller's
   * transaction ends, so concurrent attempts on one account are admitted one after another.
   */
  async findForUpdate(db: DB, email: string) {
    return db
      .selectFrom('sign_in_failures')
      .select([
        'failures',
        sql<number>`extract(epoch from now() - last_failed_at)`.as('seconds_since_last_failure'),
      ])
      .where('email', '=', email)
      .forUpdate()
      .executeTakeFirst();
  },

  async saveFailures(db: DB, email: string, failures: number) {
    await db
      .insertInto('sign_in_failures')
      .values({ email, failures, last_failed_at: sql`now()` })
      .onConflict((oc) => oc.column('email').doUpdateSet({ failures, last_failed_at: sql`now()` }))
      .execute();
  },

  async forget(db: DB, email: string) {
    await db.deleteFrom('sign_in_failures').where('email', '=', email).execute();
  },
});
