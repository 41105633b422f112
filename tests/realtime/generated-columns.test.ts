import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDeleteEventsMode } from '../helpers/delete-events-mode';
import { EventInbox } from './support/event-inbox';
import { type Change, clientFor, serviceDatabase, subscribed, userToken } from './support/realtime-fixture';

// A table of its own (not the app's): RLS, REPLICA IDENTITY FULL and a stored generated column, which
// Postgres 17 leaves out of the WAL. The old row of a DELETE is still whole for judging it, so another
// user's delete must not go out as an unchecked key (as it did when 0018 added a generated tsvector).
const db = serviceDatabase();
const table = `rt_generated_${Math.random().toString(36).slice(2, 8)}`;
const alice = `alice-${crypto.randomUUID()}`;
const bob = `bob-${crypto.randomUUID()}`;

beforeAll(async () => {
  await db.query(`
    create schema if not exists realtime_tests;
    create table realtime_tests.${table} (
      id uuid primary key default gen_random_uuid(),
      owner text not null,
      body text not null,
      body_length int generated always as (length(body)) stored
    );
    alter table realtime_tests.${table} replica identity full;
    alter table realtime_tests.${table} enable row level security;
    create policy owner_reads on realtime_tests.${table} for select to authenticated
      using (owner = auth.jwt() ->> 'sub');
    grant usage on schema realtime_tests to authenticated;
    grant select on realtime_tests.${table} to authenticated;
    alter publication supabase_realtime add table realtime_tests.${table};
  `);
});

afterAll(async () => {
  await db.query(`drop table if exists realtime_tests.${table}`);
});

async function insertNote(owner: string, body: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into realtime_tests.${table} (owner, body) values ($1, $2) returning id`,
    [owner, body],
  );
  return rows[0]?.id as string;
}

describe('postgres_changes on a table with a stored generated column', () => {
  it("delivers the user's own changes and none of another user's deletes", async () => {
    const client = await clientFor(await userToken(alice));
    const inbox = new EventInbox<Change>();
    await subscribed(
      client
        .channel('alice-generated')
        .on('postgres_changes', { event: '*', schema: 'realtime_tests', table }, inbox.push),
    );
    const bobsNote = await insertNote(bob, 'bob private');
    await db.query(`delete from realtime_tests.${table} where id = $1`, [bobsNote]);
    const own = await insertNote(alice, 'alice note');
    // An INSERT is judged on the row as it is when checked (as in Supabase): let it arrive before deleting.
    await inbox.next((event) => event.eventType === 'INSERT');
    await db.query(`delete from realtime_tests.${table} where id = $1`, [own]);
    const deleted = await inbox.next((event) => event.eventType === 'DELETE' && event.old.id === own);

    expect(deleted.old).toEqual({ id: own });
    const owns = inbox.events.filter(
      (event) => (event.eventType === 'DELETE' ? event.old : event.new).id === own,
    );
    expect(owns.map((event) => event.eventType)).toEqual(['INSERT', 'DELETE']);
    const inserted = owns[0];
    expect(inserted?.eventType === 'INSERT' && inserted.new.body).toBe('alice note');
    // REALTIME_DELETE_EVENTS=supabase sends every DELETE's key to every subscriber, as hosted Supabase does.
    const othersDeleted = inbox.events.filter((event) => !owns.includes(event)).map((event) => event.old);
    expect(othersDeleted).toEqual(testDeleteEventsMode() === 'strict' ? [] : [{ id: bobsNote }]);
    await client.removeAllChannels();
  });
});
