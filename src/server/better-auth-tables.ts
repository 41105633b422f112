import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/**
 * The columns of BetterAuth's own tables (schema better_auth) that the app reads or changes directly, for
 * `db.withTables<BetterAuthTables>()`. BetterAuth owns these tables; 0001 and 0010 create them.
 */
export type BetterAuthTables = {
  'better_auth.user': {
    id: string;
    name: string;
    email: string;
    emailVerified: boolean;
    image: string | null;
    createdAt: Timestamp;
    updatedAt: Timestamp;
    role: string | null;
    banned: boolean | null;
    banReason: string | null;
    banExpires: Timestamp | null;
    twoFactorEnabled: boolean | null;
  };
  'better_auth.session': {
    id: string;
    expiresAt: Timestamp;
    token: string;
    createdAt: Timestamp;
    updatedAt: Timestamp;
    ipAddress: string | null;
    userAgent: string | null;
    userId: string;
    impersonatedBy: string | null;
  };
};
