import { type Kysely, sql } from 'kysely';
import type { Database } from '@/server/database-types';

/**
 * Every row, in every table of the app's schemas (public, better_auth, realtime), whose text form contains one
 * of `needles` (a user id, an email): proof that nothing of a deleted user is left anywhere, including in
 * tables added after this helper was written.
 */
export async function rowsNaming(db: Kysely<Database>, needles: string[]): Promise<Record<string, number>> {
  const { rows: tables } = await sql<{ schema: string; name: string }>`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema in ('public', 'better_auth', 'realtime')`.execute(db);
  const found: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(`${table.schema}.${table.name}`)} as t
      where ${sql.join(
        needles.map((needle) => sql`strpos(t::text, ${needle}) > 0`),
        sql` or `,
      )}`.execute(db);
    const n = rows[0]?.n ?? 0;
    if (n > 0) found[`${table.schema}.${table.name}`] = n;
  }
  return found;
}
