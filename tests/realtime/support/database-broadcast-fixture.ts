import { randomUUID } from 'node:crypto';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import type pg from 'pg';
import { EventInbox } from './event-inbox';
import { subscribed } from './realtime-fixture';

/** A broadcast as supabase-js hands it to a listener. */
export interface ReceivedBroadcast {
  type: string;
  event: string;
  payload: Record<string, unknown> | ArrayBuffer;
  meta?: { id?: string; replayed?: boolean };
}

/**
 * Test-owned objects only (no app table): schema `rtdb_test` with `items` (a broadcast_changes trigger sends
 * every row change to the row's topic) and `topic_readers`, and policies on realtime.messages letting a user
 * read / send on a private `rtdb:` topic only when `topic_readers` lists them. Idempotent, serialised by an
 * advisory lock so test files sharing the stack can all call it.
 */
export async function createTestSchema(db: pg.Pool): Promise<void> {
  const client = await db.connect();
  try {
    await client.query('begin');
    await client.query("select pg_advisory_xact_lock(hashtext('rtdb_test schema'))");
    await client.query(`
      create schema if not exists rtdb_test;
      grant usage on schema rtdb_test to anon, authenticated;
      create table if not exists rtdb_test.topic_readers (topic text not null, user_id text not null,
        primary key (topic, user_id));
      grant select on rtdb_test.topic_readers to authenticated;
      create table if not exists rtdb_test.items (id uuid primary key default gen_random_uuid(),
        topic text not null, value text not null);
      create or replace function rtdb_test.broadcast_item_change() returns trigger
      language plpgsql security definer as $$
      begin
        perform realtime.broadcast_changes(coalesce(new.topic, old.topic), tg_op, tg_op, tg_table_name,
          tg_table_schema, new, old);
        return null;
      end $$;
      drop trigger if exists items_broadcast on rtdb_test.items;
      create trigger items_broadcast after insert or update or delete on rtdb_test.items
        for each row execute function rtdb_test.broadcast_item_change();
      drop policy if exists "rtdb_test readers" on realtime.messages;
      create policy "rtdb_test readers" on realtime.messages for select to authenticated using (
        realtime.topic() like 'rtdb:%' and exists (select 1 from rtdb_test.topic_readers r
          where r.topic = realtime.topic() and r.user_id = auth.jwt() ->> 'sub'));
      drop policy if exists "rtdb_test writers" on realtime.messages;
      create policy "rtdb_test writers" on realtime.messages for insert to authenticated with check (
        realtime.topic() like 'rtdb:%' and exists (select 1 from rtdb_test.topic_readers r
          where r.topic = realtime.topic() and r.user_id = auth.jwt() ->> 'sub'));
    `);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

/** A fresh private topic name the listed users may read. */
export async function privateTopic(db: pg.Pool, readers: string[]): Promise<string> {
  const topic = `rtdb:${randomUUID()}`;
  for (const reader of readers) {
    await db.query('insert into rtdb_test.topic_readers (topic, user_id) values ($1, $2)', [topic, reader]);
  }
  return topic;
}

export async function send(
  db: pg.Pool,
  topic: string,
  event: string,
  payload: unknown,
  isPrivate: boolean,
): Promise<void> {
  await db.query('select realtime.send($1::jsonb, $2, $3, $4)', [
    JSON.stringify(payload),
    event,
    topic,
    isPrivate,
  ]);
}

/** Joins `topic` collecting every broadcast; resolves once SUBSCRIBED (and, if asked, replication ready). */
export async function listen(
  client: SupabaseClient,
  topic: string,
  config: { private?: boolean; replay?: unknown; replicationReady?: boolean } = {},
): Promise<{ channel: RealtimeChannel; inbox: EventInbox<ReceivedBroadcast>; system: EventInbox<unknown> }> {
  const inbox = new EventInbox<ReceivedBroadcast>();
  const system = new EventInbox<unknown>();
  const channel = client
    .channel(topic, {
      config: {
        private: config.private ?? false,
        broadcast: {
          ...(config.replay === undefined ? {} : { replay: config.replay }),
          ...(config.replicationReady ? { replication_ready: true } : {}),
        },
      },
    } as never)
    .on('broadcast', { event: '*' }, (message) => inbox.push(message as ReceivedBroadcast))
    .on('system', {}, system.push);
  await subscribed(channel);
  return { channel, inbox, system };
}

/**
 * `rtdb_test.notes`: an RLS table in the supabase_realtime publication whose rows only their `owner` may read,
 * REPLICA IDENTITY FULL so the WAL holds a deleted row whole (what the strict DELETE mode judges).
 */
export async function createNotesTable(db: pg.Pool): Promise<void> {
  await createTestSchema(db);
  const client = await db.connect();
  try {
    await client.query('begin');
    await client.query("select pg_advisory_xact_lock(hashtext('rtdb_test schema'))");
    const { rowCount } = await client.query(
      "select 1 from pg_tables where schemaname = 'rtdb_test' and tablename = 'notes'",
    );
    if (!rowCount) {
      await client.query(`
        create table rtdb_test.notes (id uuid primary key default gen_random_uuid(), owner text not null,
          body text not null);
        alter table rtdb_test.notes replica identity full;
        alter table rtdb_test.notes enable row level security;
        grant select on rtdb_test.notes to authenticated;
        create policy "owner reads" on rtdb_test.notes for select to authenticated
          using (owner = auth.jwt() ->> 'sub');
        alter publication supabase_realtime add table rtdb_test.notes;
      `);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Resolves once the server behind `client` has dispatched every transaction committed so far: it reads the WAL
 * in commit order, so when a broadcast committed now reaches a listener, the rows stored before it have gone
 * out to whoever was in their rooms. A channel joined after this receives those rows by replay only, never live.
 */
export async function walSettled(db: pg.Pool, client: SupabaseClient): Promise<void> {
  const topic = `rtdb-settle:${randomUUID()}`;
  const { channel, inbox } = await listen(client, topic);
  await send(db, topic, 'settled', {}, false);
  await inbox.next();
  await client.removeChannel(channel);
}
