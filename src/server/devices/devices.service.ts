import 'server-only';
import { auditLogRepository } from '../audit-log/audit-log.repository';
import type { DB } from '../db';
import { NotFoundError } from '../domain-errors';
import { type DeviceRow, devicesRepository } from './devices.repository';
import { describeUserAgent } from './user-agent';

/** The signed-in user, on the session (device) this request came from. */
export interface DeviceOwner {
  userId: string;
  sessionId: string;
  requestId: string;
}

export interface Device {
  id: string;
  browser: string;
  os: string | null;
  ipAddress: string | null;
  signedInAt: Date;
  /** When the session was last refreshed: BetterAuth does so at most hourly (session.updateAge). */
  lastSeenAt: Date;
  /** The device this request came from. */
  current: boolean;
}

function toDevice(row: DeviceRow, currentSessionId: string): Device {
  return {
    id: row.id,
    ...describeUserAgent(row.userAgent),
    ipAddress: row.ipAddress,
    signedInAt: row.createdAt,
    lastSeenAt: row.updatedAt,
    current: row.id === currentSessionId,
  };
}

export const devicesService = Object.freeze({
  /** The current device first, then the others by last use. */
  async list(db: DB, owner: DeviceOwner): Promise<Device[]> {
    const devices = (await devicesRepository.listActive(db, owner.userId)).map((row) =>
      toDevice(row, owner.sessionId),
    );
    return [...devices.filter((d) => d.current), ...devices.filter((d) => !d.current)];
  },

  /** Signs one of the user's own devices out (the current one too, if asked); another user's id is NOT_FOUND. */
  async revoke(db: DB, owner: DeviceOwner, id: string): Promise<void> {
    await db.transaction().execute(async (trx) => {
      if (!(await devicesRepository.delete(trx, owner.userId, id))) throw new NotFoundError('Device');
      await auditLogRepository.insert(trx, {
        actorId: owner.userId,
        action: 'account.device.revoke',
        targetUserId: owner.userId,
        details: { current: id === owner.sessionId },
        requestId: owner.requestId,
      });
    });
  },

  /** Signs out every device but this one. */
  async revokeOthers(db: DB, owner: DeviceOwner): Promise<{ revoked: number }> {
    return db.transaction().execute(async (trx) => {
      const revoked = await devicesRepository.deleteAllExcept(trx, owner.userId, owner.sessionId);
      await auditLogRepository.insert(trx, {
        actorId: owner.userId,
        action: 'account.device.revoke_others',
        targetUserId: owner.userId,
        details: { revoked },
        requestId: owner.requestId,
      });
      return { revoked };
    });
  },
});
