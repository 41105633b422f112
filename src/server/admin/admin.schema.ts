import { z } from 'zod';
import { bigintCursorInput, textCursorInput } from '../pagination/keyset-cursor';

export const ROLES = ['user', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const userId = z.string().trim().min(1, 'User id is empty').max(128);

export const listUsersInput = z.object({
  cursor: textCursorInput.optional(),
  limit: z.number().int().min(1).max(100).default(50),
  /** Part of an email address or name. */
  search: z.string().trim().max(200).optional(),
});
export const banUserInput = z.object({
  userId,
  reason: z.string().trim().min(1, 'Give a reason').max(500, 'Reason is longer than 500 characters'),
  /** Omitted: until unbanned. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export const unbanUserInput = z.object({ userId });
export const setRoleInput = z.object({ userId, role: z.enum(ROLES) });
export const revokeSessionsInput = z.object({ userId });
export const usageInput = z.object({ days: z.number().int().min(1).max(366).default(30) });
export const auditLogInput = z.object({
  cursor: bigintCursorInput.optional(),
  limit: z.number().int().min(1).max(200).default(50),
  targetUserId: userId.optional(),
});

export type ListUsersInput = z.infer<typeof listUsersInput>;
export type BanUserInput = z.infer<typeof banUserInput>;
export type AuditLogInput = z.infer<typeof auditLogInput>;
