import { readFile } from 'node:fs/promises';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { compatSqlDir, migrationsDir, seedSqlFile } from './project-paths';
import { migrateToLatest } from './sql-file-migrator';
import { applySupabaseCompat } from './supabase-compat';

export interface DatabaseSetupResult {
  compatApplied: boolean;
  migrationsApplied: string[];
}

/**
 * Brings any Postgres (embedded or hosted Supabase) to the app's schema: Supabase's objects where missing,
 * then the migrations, then the idempotent seed.
 */
export async function setUpDatabase(
  databaseUrl: string,
  options: { seed?: boolean; migrations?: string } = {},
): Promise<DatabaseSetupResult> {
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: 1 }) }),
  });
  try {
    const compatApplied = await applySupabaseCompat(db, compatSqlDir);
    const migrationsApplied = await migrateToLatest(db, options.migrations ?? migrationsDir);
    if (options.seed !== false) await sql.raw(await readFile(seedSqlFile, 'utf8')).execute(db);
    return { compatApplied, migrationsApplied };
  } finally {
    await db.destroy();
  }
}

/** Creates `name` on the server of `adminUrl` unless it exists; returns its URL. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
