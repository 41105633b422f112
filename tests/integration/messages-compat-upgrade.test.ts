import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, expect, inject, it } from 'vitest';
import { ensureDatabase, setUpDatabase } from '@/stack/database-setup';
import { compatSqlDir } from '@/stack/project-paths';

// A database set up before Broadcast from Database existed has a plain realtime.messages (compat 0001 only)
// with the app's policies and narrowed grants on it. The next start converts it to Supabase's day-partitioned
// table in place: the policies and grants stay, and the compat is not applied again after that.

const noMigrations = await mkdtemp(path.join(os.tmpdir(), 'no-migrations-'));
afterAll(() => rm(noMigrations, { recursive: true, force: true }));

it('turns an older compat database into the partitioned realtime.messages, keeping policies and grants', async () => {
  const url = await ensureDatabase(
    inject('databaseUrl'),
    `compat_upgrade_${crypto.randomUUID().replaceAll('-', '')}`,
  );
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(await readFile(path.join(compatSqlDir, '0001_supabase_objects.sql'), 'utf8'));
    await client.query(`
      create policy "readers" on realtime.messages for select to authenticated using (realtime.topic() like 'x:%');
      create policy "writers" on realtime.messages for insert to authenticated with check (realtime.topic() = 'x:1');
      revoke update on realtime.messages from anon, authenticated;`);

    expect((await setUpDatabase(url, { seed: false, migrations: noMigrations })).compatApplied).toBe(true);

    const table = await client.query<{ kind: string; acl: string }>(
      `select relkind::text as kind, relacl::text as acl from pg_class where oid = 'realtime.messages'::regclass`,
    );
    expect(table.rows[0]?.kind).toBe('p');
    expect(table.rows[0]?.acl).toContain('authenticated=ar/');
    expect(table.rows[0]?.acl).not.toContain('authenticated=arw/');
    const policies = await client.query<{
      policyname: string;
      qual: string | null;
      with_check: string | null;
    }>(
      `select policyname, qual, with_check from pg_policies where schemaname = 'realtime' and tablename = 'messages'
       order by policyname`,
    );
    expect(policies.rows).toEqual([
      { policyname: 'readers', qual: "(realtime.topic() ~~ 'x:%'::text)", with_check: null },
      { policyname: 'writers', qual: null, with_check: "(realtime.topic() = 'x:1'::text)" },
    ]);
    expect((await setUpDatabase(url, { seed: false, migrations: noMigrations })).compatApplied).toBe(false);
  } finally {
    await client.end();
  }
});
