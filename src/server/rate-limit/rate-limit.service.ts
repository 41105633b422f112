import 'server-only';
import type { DB } from '../db';
import { RateLimitedError } from '../domain-errors';
import { rateLimitRepository } from './rate-limit.repository';

export interface RateLimit {
  bucket: string;
  limit: number;
  windowSeconds: number;
}

export const rateLimitService = Object.freeze({
  /**
   * Counts a request against `rule` and throws RateLimitedError (with the seconds until the window ends)
   * past the limit. Call it inside the transaction that does the work: a refused request rolls back and
   * is not counted, and concurrent requests of one user queue on the counter row, so exactly `limit` pass.
   */
  async consume(db: DB, userId: string, rule: RateLimit): Promise<void> {
    const { count, seconds_left } = await rateLimitRepository.countRequest(
      db,
      userId,
      rule.bucket,
      rule.windowSeconds,
    );
    if (count > rule.limit) throw new RateLimitedError(Math.max(1, Math.ceil(Number(seconds_left))));
  },
});
