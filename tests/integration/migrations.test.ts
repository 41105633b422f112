import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { databaseColumns } from '@/server/database-types';
import { ensureDatabase, setUpDatabase } from '@/stack/database-setup';
import { migrationsDir } from '@/stack/project-paths';
import { adminDb } from '../helpers/database';

const db = adminDb();
afterAll(() => db.destroy());

async function freshDatabase(): Promise<string> {
  return ensureDatabase(inject('databaseUrl'), `migration_test_${crypto.randomUUID().replaceAll('-', '')}`);
}

describe('database setup: Supabase compat + migrations', () => {
  it('applies everything to an empty database, then does nothing on a second run', async () => {
    const url = await freshDatabase();
    const first = await setUpDatabase(url);
    expect(first.compatApplied).toBe(true);
    const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort();
    expect(first.migrationsApplied).toEqual(files.map((f) => f.replace(/\.sql$/, '')));

    const second = await setUpDatabase(url);
    expect(second).toEqual({ compatApplied: false, migrationsApplied: [] });
  });

  it('refuses a migration edited after it was applied, naming it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    try {
      await cp(migrationsDir, dir, { recursive: true });
      const url = await freshDatabase();
      await setUpDatabase(url, { migrations: dir });
      await writeFile(path.join(dir, '0002_chat_schema.sql'), '-- sneaky edit\nselect 1;');
      await expect(setUpDatabase(url, { migrations: dir })).rejects.toThrow(
        /Migration 0002_chat_schema was edited after it was applied/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rolls back a failing migration and names it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    try {
      await cp(migrationsDir, dir, { recursive: true });
      await writeFile(
        path.join(dir, '0003_broken.sql'),
        'create table half_done (id int);\nselect nonsense from nowhere;',
      );
      const url = await freshDatabase();
      await expect(setUpDatabase(url, { migrations: dir })).rejects.toThrow(/Migration 0003_broken failed/);
      const { rows } = await sql<{
        t: string | null;
      }>`select to_regclass('public.half_done')::text as t`.execute(db);
      expect(rows[0]?.t).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Kysely Database types', () => {
  it('match the live schema: every table, column and nullability', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string; is_nullable: 'YES' | 'NO' }>`
      select table_name, column_name, is_nullable from information_schema.columns
      where table_schema = 'public' order by table_name, column_name`.execute(db);
    const live: Record<string, Record<string, string>> = {};
    for (const row of rows) {
      live[row.table_name] ??= {};
      (live[row.table_name] as Record<string, string>)[row.column_name] =
        row.is_nullable === 'YES' ? 'nullable' : 'not null';
    }
    expect(live).toEqual(databaseColumns);
  });
});
