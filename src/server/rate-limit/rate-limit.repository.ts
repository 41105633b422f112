import 'server-only';
import { sql } from 'kysely';
import type { DB } from '../db';

export const rateLimitRepository = Object.freeze({
  /**
   * Counts one request in the user's current window for `bucket`, atomically: a window starts at the first
   * request after the previous one ended. The row stays locked until the caller's transaction ends, so
   * concurrent requests of one user are counted one after another.
   */
  async countRequest(db: DB, userId: string, bucket: string, windowSeconds: number) {
    return db
      .insertInto('rate_limits')
      .values({ user_id: userId, bucket, window_start: sql`now()`, count: 1 })
      .onConflict((oc) =>
        oc.columns(['user_id', 'bucket']).doUpdateSet({
          window_start: sql`case when rate_limits.window_start > now() - make_interval(secs => ${windowSeconds})
                                 then rate_limits.window_start else now() end`,
          count: sql`case when rate_limits.window_start > now() - make_interval(secs => ${windowSeconds})
                          then rate_limits.count + 1 else 1 end`,
        }),
      )
      .returning([
        'count',
        sql<number>`extract(epoch from window_start + make_interval(secs => ${windowSeconds}) - now())`.as(
          'seconds_left',
        ),
      ])
      .executeTakeFirstOrThrow();
  },
});
