import type { Kysely } from 'kysely';
import type { BetterAuthTables } from '@/server/better-auth-tables';
import type { Database } from '@/server/database-types';
import { signUpUser, type TestUser } from './users';

/** BetterAuth's tables, for arranging roles and reading sessions in tests. */
export function authTables(db: Kysely<Database>) {
  return db.withTables<BetterAuthTables>();
}

/**
 * Signs a user up through BetterAuth, then makes them an admin the way an operator would bootstrap the
 * first one: straight in the database (every later role change goes through admin.setRole).
 */
export async function signUpAdmin(db: Kysely<Database>, name = 'Admin'): Promise<TestUser> {
  const user = await signUpUser(name);
  await authTables(db)
    .updateTable('better_auth.user')
    .set({ role: 'admin' })
    .where('id', '=', user.id)
    .execute();
  return user;
}

/** The audit rows naming `targetUserId`, oldest first. */
export async function auditRowsFor(db: Kysely<Database>, targetUserId: string) {
  return db
    .selectFrom('audit_log')
    .select(['actor_id', 'action', 'target_user_id', 'details', 'request_id'])
    .where('target_user_id', '=', targetUserId)
    .orderBy('id')
    .execute();
}
