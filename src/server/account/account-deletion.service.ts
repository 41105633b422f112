import 'server-only';
import { auditLogRepository } from '../audit-log/audit-log.repository';
import type { Auth } from '../auth';
import type { DB } from '../db';
import { NotAllowedError, NotFoundError } from '../domain-errors';
import { rateLimitService } from '../rate-limit/rate-limit.service';
import { accountDeletionRepository } from './account-deletion.repository';
import { isCurrentPassword } from './password-check';

/** Guesses at the password through this door, per user: a stolen session cookie gets 5 tries a quarter hour. */
const PASSWORD_ATTEMPTS = { bucket: 'account.delete', limit: 5, windowSeconds: 15 * 60 };

export const accountDeletionService = Object.freeze({
  /**
   * Deletes the account and every row of it, after the user proves it is them with their password (a stolen
   * session cookie alone cannot delete an account). One transaction: all of it goes, or nothing.
   */
  async deleteAccount(
    db: DB,
    auth: Auth,
    user: { id: string; email: string },
    password: string,
    requestId: string,
  ): Promise<{ deleted: true }> {
    // Counted outside any transaction, so a wrong guess stays counted.
    await rateLimitService.consume(db, user.id, PASSWORD_ATTEMPTS);
    if (!(await isCurrentPassword(auth, user.id, password))) throw new NotAllowedError('Wrong password');
    await db.transaction().execute(async (trx) => {
      // Recorded before the user row goes; the row's actor and target are nulled with it, the fact remains.
      await auditLogRepository.insert(trx, {
        actorId: user.id,
        action: 'account.delete',
        targetUserId: user.id,
        requestId,
      });
      await accountDeletionRepository.deleteVerifications(trx, user);
      if (!(await accountDeletionRepository.deleteUser(trx, user.id))) throw new NotFoundError('Account');
    });
    return { deleted: true };
  },
});
