import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';

/**
 * Whether the database already has what hosted Supabase provides: the API roles, the auth helpers,
 * realtime.messages with realtime.topic(), and the supabase_realtime publication.
 */
export async function hasSupabaseObjects(db: Kysely<unknown>): Promise<boolean> {
  const { rows } = await sql<{ present: boolean }>`
    select
      (select count(*) from pg_roles where rolname in ('anon', 'authenticated', 'service_role')) = 3
      and to_regprocedure('auth.jwt()') is not null
      and to_regprocedure('auth.uid()') is not null
      and to_regprocedure('auth.role()') is not null
      and to_regclass('realtime.messages') is not null
      and to_regprocedure('realtime.topic()') is not null
      and exists (select 1 from pg_publication where pubname = 'supabase_realtime')
      as present`.execute(db);
  return rows[0]?.present === true;
}

/**
 * Compat files added after databases were set up with the earlier ones, each with the check that shows it is
 * in place. Such a database gets only these (never 0001 again: it would widen grants the migrations narrowed).
 */
const UPGRADES: { file: string; present: ReturnType<typeof sql<{ present: boolean }>> }[] = [
  {
    file: '0002_broadcast_from_database.sql',
    present: sql<{ present: boolean }>`
      select to_regprocedure('realtime.send_binary(bytea, text, text, boolean)') is not null as present`,
  },
];

/**
 * Applies `supabase/compat/*.sql` in name order when the database lacks Supabase's objects; on a database
 * that has them, only the upgrades it lacks. Whether anything was applied.
 */
export async function applySupabaseCompat(db: Kysely<unknown>, dir: string): Promise<boolean> {
  let files = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  if (await hasSupabaseObjects(db)) {
    const missing: string[] = [];
    for (const upgrade of UPGRADES) {
      const { rows } = await upgrade.present.execute(db);
      if (rows[0]?.present !== true) missing.push(upgrade.file);
    }
    files = files.filter((file) => missing.includes(file));
  }
  if (files.length === 0) return false;
  await db.transaction().execute(async (trx) => {
    for (const file of files) await sql.raw(await readFile(path.join(dir, file), 'utf8')).execute(trx);
  });
  return true;
}
