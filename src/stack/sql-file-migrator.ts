import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationResult, Migrator } from 'kysely/migration';

/** Where the migrator keeps its bookkeeping: a schema no API role can read. */
const MIGRATION_SCHEMA = 'app_migrations';

export class EditedMigrationError extends Error {
  constructor(readonly migrationName: string) {
    super(
      `Migration ${migrationName} was edited after it was applied. Applied migrations are append-only: ` +
        'restore the file and put the change in a new migration.',
    );
    this.name = 'EditedMigrationError';
  }
}

interface SqlFile {
  name: string;
  sql: string;
  sha256: string;
}

async function readSqlFiles(dir: string): Promise<SqlFile[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  return Promise.all(
    names.map(async (file) => {
      const text = await readFile(path.join(dir, file), 'utf8');
      return {
        name: file.replace(/\.sql$/, ''),
        sql: text,
        sha256: createHash('sha256').update(text).digest('hex'),
      };
    }),
  );
}

async function ensureBookkeeping(db: Kysely<unknown>): Promise<void> {
  await sql`create schema if not exists ${sql.id(MIGRATION_SCHEMA)}`.execute(db);
  await sql`create table if not exists ${sql.id(MIGRATION_SCHEMA, 'checksums')} (
    name text primary key, sha256 text not null, applied_at timestamptz not null default now())`.execute(db);
}

async function refuseEditedMigrations(db: Kysely<unknown>, files: SqlFile[]): Promise<void> {
  const { rows } = await sql<{ name: string; sha256: string }>`
    select name, sha256 from ${sql.id(MIGRATION_SCHEMA, 'checksums')}`.execute(db);
  const applied = new Map(rows.map((row) => [row.name, row.sha256]));
  for (const file of files) {
    const recorded = applied.get(file.name);
    if (recorded !== undefined && recorded !== file.sha256) throw new EditedMigrationError(file.name);
  }
}

function toMigration(file: SqlFile): Migration {
  return {
    async up(trx) {
      await sql.raw(file.sql).execute(trx);
      await sql`insert into ${sql.id(MIGRATION_SCHEMA, 'checksums')} (name, sha256)
        values (${file.name}, ${file.sha256})`.execute(trx);
    },
  };
}

/**
 * Applies the `.sql` files of `dir` in name order with Kysely's Migrator: pending ones run inside a
 * transaction and are recorded, applied ones are skipped, and an applied file whose text changed is refused.
 */
export async function migrateToLatest(db: Kysely<unknown>, dir: string): Promise<string[]> {
  const files = await readSqlFiles(dir);
  await ensureBookkeeping(db);
  await refuseEditedMigrations(db, files);

  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => Object.fromEntries(files.map((f) => [f.name, toMigration(f)])) },
    migrationTableSchema: MIGRATION_SCHEMA,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(failed ? `Migration ${failed.migrationName} failed: ${reason}` : reason, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
