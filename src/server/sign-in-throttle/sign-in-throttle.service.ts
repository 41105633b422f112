import 'server-only';
import type { DB } from '../db';
import { signInThrottleRepository } from './sign-in-throttle.repository';

/** Wrong passwords an address may take before the back-off starts. */
export const FREE_FAILURES = 5;
/** The longest wait: an attacker can slow the owner's sign-in down, never lock them out for longer. */
export const MAX_BACK_OFF_SECONDS = 5 * 60;
/** A failure this old is forgotten; counting starts again. */
const FORGET_AFTER_SECONDS = 60 * 60;

/** The first wait, doubled with each further failure. */
const FIRST_BACK_OFF_SECONDS = 5;

/** Seconds an address must wait after its last failure once it has `failures`: 5, 10, 20, … at most 300. */
export function backOffSeconds(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(FIRST_BACK_OFF_SECONDS * 2 ** (failures - FREE_FAILURES), MAX_BACK_OFF_SECONDS);
}

function key(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Per-account exponential back-off on password sign-in, counted in Postgres whatever address the guesses
 * come from (the per-address limit is BetterAuth's). Every attempt counts as a failure when it is admitted
 * (so parallel guesses cannot slip through one open window) and a successful sign-in forgets them all.
 * Keyed by the address typed, existing or not: the answer is the same for an unknown address.
 */
export const signInThrottleService = Object.freeze({
  /** Null when the attempt may check its password (and is counted), else the seconds left to wait. */
  async admit(db: DB, email: string): Promise<number | null> {
    return db.transaction().execute(async (trx) => {
      const row = await signInThrottleRepository.findForUpdate(trx, key(email));
      const since = Number(row?.seconds_since_last_failure ?? Number.POSITIVE_INFINITY);
      const failures = row && since < FORGET_AFTER_SECONDS ? row.failures : 0;
      const wait = backOffSeconds(failures) - since;
      if (wait > 0) return Math.ceil(wait);
      await signInThrottleRepository.saveFailures(trx, key(email), failures + 1);
      return null;
    });
  },

  /** The password was right: the count starts again from zero. */
  async succeeded(db: DB, email: string): Promise<void> {
    await signInThrottleRepository.forget(db, key(email));
  },
});
