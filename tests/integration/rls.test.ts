import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyTopic } from '@/shared/realtime-topics';
import { insertExchange } from '../helpers/chat-rows';
import { adminDb, asRole } from '../helpers/database';
import { callerFor, signUpUser, type TestUser } from '../helpers/users';

const db = adminDb();
afterAll(() => db.destroy());

let alice: TestUser;
let bob: TestUser;
let publicTables: string[];
/** Tables only the server reads: no grant at all for anon or authenticated. */
const SERVER_ONLY_TABLES = [
  'audit_log',
  'avatars',
  'chat_session_words',
  'export_files',
  'sign_in_failures',
  'usage_daily',
  'usage_daily_users',
];

beforeAll(async () => {
  alice = await signUpUser('Alice');
  bob = await signUpUser('Bob');
  for (const user of [alice, bob]) {
    const api = await callerFor(user.headers);
    const session = await api.sessions.create({ title: `${user.id} chat` });
    await insertExchange(db, user.id, session.id, 'q', 'a');
    await api.prompts.create({ name: 'mine', content: 'mine' });
  }
  await sql`insert into export_jobs (user_id, status) values (${alice.id}, 'failed'), (${bob.id}, 'failed')`.execute(
    db,
  );
  await sql`insert into rate_limits (user_id, bucket, window_start, count) values
    (${alice.id}, 'chat.send', now(), 1), (${bob.id}, 'chat.send', now(), 1)`.execute(db);
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
    order by table_name`.execute(db);
  publicTables = rows.map((r) => r.table_name);
});

describe("row level security for the browser's roles", () => {
  it('covers every public table', () => {
    expect(publicTables).toEqual([
      'audit_log',
      'avatars',
      'chat_messages',
      'chat_session_words',
      'chat_sessions',
      'export_files',
      'export_jobs',
      'profiles',
      'rate_limits',
      'sign_in_failures',
      'system_prompts',
      'usage_daily',
      'usage_daily_users',
    ]);
  });

  it('shows the anon key 0 rows of every public table', async () => {
    for (const table of publicTables) {
      const visible = await asRole('anon', {}, async (client) => {
        try {
          return (await client.query(`select count(*)::int as n from public.${table}`)).rows[0].n as number;
        } catch (error) {
          expect((error as { code?: string }).code).toBe('42501'); // permission denied
          return 0;
        }
      });
      expect(visible, table).toBe(0);
    }
  });

  it("refuses anon and authenticated any access to BetterAuth's schema", async () => {
    for (const role of ['anon', 'authenticated'] as const) {
      await asRole(role, { sub: alice.id }, async (client) => {
        await expect(client.query('select * from better_auth."user"')).rejects.toMatchObject({
          code: '42501',
        });
      });
    }
  });

  it('shows an authenticated user only their own rows', async () => {
    for (const table of publicTables.filter((t) => !SERVER_ONLY_TABLES.includes(t))) {
      const owners = await asRole('authenticated', { sub: alice.id }, async (client) => {
        const column = table === 'profiles' ? 'id' : 'user_id';
        return (await client.query(`select distinct ${column} as owner from public.${table}`)).rows.map(
          (r) => r.owner,
        );
      });
      const expected = table === 'system_prompts' ? [alice.id, null] : [alice.id];
      expect(owners.sort(), table).toEqual(expected.sort());
    }
  });

  it('refuses the browser roles any access to server-only tables', async () => {
    for (const table of SERVER_ONLY_TABLES) {
      for (const role of ['anon', 'authenticated'] as const) {
        await asRole(role, { sub: alice.id }, async (client) => {
          await expect(
            client.query(`select * from public.${table}`),
            `${role} ${table}`,
          ).rejects.toMatchObject({
            code: '42501',
          });
        });
      }
    }
  });

  it('lets an authenticated user write nothing directly', async () => {
    await asRole('authenticated', { sub: alice.id }, async (client) => {
      await expect(
        client.query(`insert into public.chat_sessions (user_id, title) values ($1, 'sneaky')`, [alice.id]),
      ).rejects.toMatchObject({ code: '42501' });
    });
    await asRole('authenticated', { sub: alice.id }, async (client) => {
      await expect(client.query(`update public.chat_messages set content = 'x'`)).rejects.toMatchObject({
        code: '42501',
      });
    });
  });

  it('lets a user read only their own private chat topics on realtime.messages', async () => {
    const [aliceSession] = await db
      .selectFrom('chat_sessions')
      .select('id')
      .where('user_id', '=', alice.id)
      .execute();
    const probe = async (sub: string, topic: string) =>
      asRole('authenticated', { sub }, async (client) => {
        await client.query(`select set_config('realtime.topic', $1, true)`, [topic]);
        await client.query('savepoint probe');
        try {
          await client.query(`insert into realtime.messages (topic, extension) values ($1, 'broadcast')`, [
            topic,
          ]);
          return 'allowed';
        } catch (error) {
          await client.query('rollback to savepoint probe');
          return (error as { code?: string }).code;
        }
      });
    const topic = replyTopic(aliceSession?.id ?? '');
    expect(await probe(alice.id, topic)).toBe('allowed');
    expect(await probe(bob.id, topic)).toBe('42501');
    expect(await probe(alice.id, 'chat:not-a-uuid')).toBe('42501');
  });
});
