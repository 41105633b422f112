import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminDb, asRole } from '../helpers/database';
import { signUpUser, type TestUser } from '../helpers/users';

const db = adminDb();
afterAll(() => db.destroy());

let alice: TestUser;
let publicTables: string[];

beforeAll(async () => {
  alice = await signUpUser('Alice');
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
    order by table_name`.execute(db);
  publicTables = rows.map((r) => r.table_name);
});

describe('privileges of the browser roles (anon, authenticated)', () => {
  // What an attacker holding the anon key, or a signed-up user's token, would try through realtime's SQL.
  it('refuse truncate, writes, references and triggers on every public table', async () => {
    for (const table of publicTables) {
      for (const role of ['anon', 'authenticated'] as const) {
        const probes = [
          `truncate public.${table}`,
          `insert into public.${table} default values`,
          `delete from public.${table}`,
        ];
        for (const statement of probes) {
          await asRole(role, { sub: alice.id }, async (client) => {
            await expect(client.query(statement), `${role}: ${statement}`).rejects.toMatchObject({
              code: '42501',
            });
          });
        }
        const privileges = await asRole(role, { sub: alice.id }, async (client) => {
          const { rows } = await client.query<Record<string, boolean>>(
            `select has_table_privilege(current_user, $1, 'UPDATE') as update,
                    has_table_privilege(current_user, $1, 'REFERENCES') as references,
                    has_table_privilege(current_user, $1, 'TRIGGER') as trigger`,
            [`public.${table}`],
          );
          return rows[0];
        });
        expect(privileges, `${role} on ${table}`).toEqual({
          update: false,
          references: false,
          trigger: false,
        });
      }
    }
  });

  it('keep SELECT (under RLS) where realtime needs it', async () => {
    await asRole('authenticated', { sub: alice.id }, async (client) => {
      const { rows } = await client.query('select count(*)::int as n from public.chat_messages');
      expect(rows).toEqual([{ n: 0 }]);
    });
    await asRole('authenticated', { sub: alice.id }, async (client) => {
      const { rows } = await client.query('select count(*)::int as n from public.chat_sessions');
      expect(rows).toEqual([{ n: 0 }]);
    });
  });

  it('refuse updating, deleting or truncating realtime.messages, which only needs select and insert', async () => {
    for (const role of ['anon', 'authenticated'] as const) {
      for (const statement of [
        `update realtime.messages set payload = '{}'`,
        'delete from realtime.messages',
        'truncate realtime.messages',
      ]) {
        await asRole(role, { sub: alice.id }, async (client) => {
          await expect(client.query(statement), `${role}: ${statement}`).rejects.toMatchObject({
            code: '42501',
          });
        });
      }
    }
  });

  it('grant a table created by a later migration no writes, truncate, references or triggers', async () => {
    // Created and inspected in a transaction that is rolled back: the table never exists for anyone else.
    const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    const client = await pool.connect();
    let granted: unknown[];
    try {
      await client.query('begin');
      await client.query('create table public.future_feature (id int primary key, note text)');
      const { rows } = await client.query(
        `select grantee as role, privilege_type as privilege from information_schema.role_table_grants
         where table_schema = 'public' and table_name = 'future_feature' and grantee in ('anon', 'authenticated')
         order by 1, 2`,
      );
      granted = rows;
    } finally {
      await client.query('rollback');
      client.release();
      await pool.end();
    }
    expect(granted).toEqual([
      { role: 'anon', privilege: 'SELECT' },
      { role: 'authenticated', privilege: 'SELECT' },
    ]);
  });
});
