import 'server-only';
import { randomUUID } from 'node:crypto';
import type { DB } from '../db';
import { loggableError, logger } from '../observability/logger';
import { requestIdFrom } from '../observability/request-id';
import { auditLogRepository } from './audit-log.repository';

export type AccountSecurityAction =
  | 'account.password.reset'
  | 'account.two_factor.enable'
  | 'account.two_factor.disable';

/**
 * Records a change to how an account signs in, made inside BetterAuth's own endpoints (after they committed):
 * the user is both actor and target. A failure to record is logged, never thrown — the change already stands.
 */
export async function recordAccountSecurityEvent(
  db: DB,
  userId: string,
  action: AccountSecurityAction,
  /** The request's headers (an `x-request-id` from a proxy or from our own tRPC call is kept). */
  headers: Headers | undefined,
): Promise<void> {
  const requestId = headers ? requestIdFrom(headers) : randomUUID();
  try {
    await auditLogRepository.insert(db, { actorId: userId, action, targetUserId: userId, requestId });
  } catch (error) {
    logger().error({ requestId, userId, action, err: loggableError(error) }, 'audit record failed');
  }
}
