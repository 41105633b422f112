import type pg from 'pg';

/**
 * The postgres_changes tests' own tables (no app table), in schema `rt_test`, shaped like any app's owned rows:
 * `threads` and their `posts` (ON DELETE CASCADE), each row carrying its owner's JWT `sub` in `user_id`. RLS
 * lets `authenticated` read only its own rows; `service_role` reads all (it bypasses RLS); `anon` holds no
 * privilege. Both are REPLICA IDENTITY FULL and in the `supabase_realtime` publication; `unpublished` is not.
 * `posts` has a column of each type the filter tests compare (uuid, text, int4, nullable text, jsonb,
 * timestamptz).
 */
const TABLES_SQL = `
  create schema rt_test;
  grant usage on schema rt_test to anon, authenticated, service_role;
  create table rt_test.threads (
    id         uuid primary key default gen_random_uuid(),
    user_id    text not null,
    title      text not null,
    created_at timestamptz not null default now()
  );
  create table rt_test.posts (
    id         uuid primary key default gen_random_uuid(),
    thread_id  uuid not null references rt_test.threads (id) on delete cascade,
    user_id    text not null,
    content    text not null default '',
    seq        integer not null default 0,
    label      text,
    status     text not null default 'complete',
    metadata   jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now()
  );
  create table rt_test.unpublished (id uuid primary key default gen_random_uuid(), user_id text not null);
  alter table rt_test.threads enable row level security;
  alter table rt_test.posts enable row level security;
  alter table rt_test.unpublished enable row level security;
  grant select on rt_test.threads, rt_test.posts, rt_test.unpublished to authenticated, service_role;
  create policy "own threads" on rt_test.threads for select to authenticated
    using (user_id = (select auth.jwt() ->> 'sub'));
  create policy "own posts" on rt_test.posts for select to authenticated
    using (user_id = (select auth.jwt() ->> 'sub'));
  create policy "own unpublished" on rt_test.unpublished for select to authenticated
    using (user_id = (select auth.jwt() ->> 'sub'));
  -- full old rows: DELETE events are judged against the policies (strict mode), UPDATEs carry the old row
  alter table rt_test.threads replica identity full;
  alter table rt_test.posts replica identity full;
  alter publication supabase_realtime add table rt_test.threads, rt_test.posts;
`;

/** Creates `rt_test` once; idempotent and serialised by an advisory lock, as test files share the stack. */
export async function createTestTables(db: pg.Pool): Promise<void> {
  const client = await db.connect();
  try {
    await client.query('begin');
    await client.query("select pg_advisory_xact_lock(hashtext('rt_test schema'))");
    const { rowCount } = await client.query("select 1 from pg_namespace where nspname = 'rt_test'");
    if (!rowCount) await client.query(TABLES_SQL);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

export async function createThread(db: pg.Pool, userId: string, title = 'Realtime thread'): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'insert into rt_test.threads (user_id, title) values ($1, $2) returning id',
    [userId, title],
  );
  return (rows[0] as { id: string }).id;
}

export interface PostFields {
  content?: string;
  seq?: number;
  label?: string | null;
  status?: string;
  metadata?: Record<string, unknown>;
}

export async function insertPost(
  db: pg.Pool,
  userId: string,
  threadId: string,
  fields: PostFields = {},
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into rt_test.posts (thread_id, user_id, content, seq, label, status, metadata)
     values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [
      threadId,
      userId,
      fields.content ?? 'hello',
      fields.seq ?? 0,
      fields.label ?? null,
      fields.status ?? 'complete',
      JSON.stringify(fields.metadata ?? {}),
    ],
  );
  return (rows[0] as { id: string }).id;
}
