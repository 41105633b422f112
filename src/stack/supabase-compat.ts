import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';

/**
 * Whether the database already has what hosted Supabase provides: the API roles, the auth helpers,
 * realtime.messages with realtime.topic() and Broadcast from Database (send_binary is its newest function), and
 * the supabase_realtime publication. A database set up by an older compat lacks send_binary and is brought up
 * to date: every compat file is idempotent.
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
      and to_regprocedure('realtime.send_binary(bytea, text, text, boolean)') is not null
      and exists (select 1 from pg_publication where pubname = 'supabase_realtime')
      as present`.execute(db);
  return rows[0]?.present === true;
}

/** Applies `supabase/compat/*.sql` in name order, only when the database lacks Supabase's objects. */
export async function applySupabaseCompat(db: Kysely<unknown>, dir: string): Promise<boolean> {
  if (await hasSupabaseObjects(db)) return false;
  const files = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  await db.transaction().execute(async (trx) => {
    for (const file of files) await sql.raw(await readFile(path.join(dir, file), 'utf8')).execute(trx);
  });
  return true;
}
