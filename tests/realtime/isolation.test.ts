import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { testDeleteEventsMode } from '../helpers/delete-events-mode';
import { EventInbox } from './support/event-inbox';
import {
  ANON_KEY,
  type Change,
  clientFor,
  newUser,
  onRawMessage,
  SERVICE_ROLE_KEY,
  serviceDatabase,
  subscribed,
  supabaseClient,
  userToken,
} from './support/realtime-fixture';
import { createTestTables, createThread, insertPost } from './support/test-tables';

const db = serviceDatabase();
beforeAll(() => createTestTables(db));
let alice: string;
let bob: string;
let aliceThread: string;
let bobThread: string;

beforeAll(async () => {
  alice = newUser();
  bob = newUser();
  aliceThread = await createThread(db, alice);
  bobThread = await createThread(db, bob);
});

const deleteEvents = testDeleteEventsMode();

/** Everything on both tables, no filter: only RLS stands between the subscriber and other users' rows. */
async function watchBothTables(client: SupabaseClient, name: string) {
  const inbox = new EventInbox<Change>();
  const channel = client
    .channel(name)
    .on('postgres_changes', { event: '*', schema: 'rt_test', table: 'posts' }, inbox.push)
    .on('postgres_changes', { event: '*', schema: 'rt_test', table: 'threads' }, inbox.push);
  await subscribed(channel);
  return inbox;
}

function rowId(event: Change): unknown {
  return event.eventType === 'DELETE' ? event.old.id : event.new.id;
}

function rowIds(inbox: EventInbox<Change>): unknown[] {
  return inbox.events.map(rowId);
}

interface BobsRows {
  ids: string[];
  deleted: string[];
}

/** Bob's rows: a thread, posts inserted, updated and deleted (the writes an owner's client makes). */
async function writeBobsRows(): Promise<BobsRows> {
  const thread = await createThread(db, bob, 'Bob private');
  const first = await insertPost(db, bob, bobThread, { content: 'bob secret' });
  const second = await insertPost(db, bob, thread, {
    content: 'bob reply',
    status: 'streaming',
  });
  await db.query(
    `update rt_test.posts set content = 'bob reply, longer', status = 'complete' where id = $1`,
    [second],
  );
  await db.query(`update rt_test.threads set title = 'Bob renamed' where id = $1`, [bobThread]);
  await db.query('delete from rt_test.posts where id = $1', [first]);
  // deleting the thread cascades to its posts: more DELETEs
  await db.query('delete from rt_test.threads where id = $1', [thread]);
  return { ids: [thread, first, second, bobThread], deleted: [thread, first, second] };
}

/**
 * What a user saw of rows not in `own`: nothing (strict DELETE events, our default). In `supabase` mode, as on
 * hosted Supabase, every DELETE of an RLS table reaches every subscriber of it with the key only: Bob's deleted
 * rows arrive as bare keys (so may other test files' running beside this one), and nothing else of anyone's.
 */
function expectOthersHidden(inbox: EventInbox<Change>, own: unknown[], bobs: BobsRows): void {
  const others = inbox.events.filter((event) => !own.includes(rowId(event)));
  if (deleteEvents === 'strict') {
    expect(others).toEqual([]);
    return;
  }
  for (const event of others) {
    expect(event.eventType).toBe('DELETE');
    if (event.schema === 'rt_test') expect(event.old).toEqual({ id: event.old.id });
  }
  const bobsSeen = others.map(rowId).filter((id) => bobs.ids.includes(id as string));
  expect(new Set(bobsSeen)).toEqual(new Set(bobs.deleted));
}

describe('postgres_changes isolation under RLS', () => {
  it("a user subscribed to everything with no filter receives none of another user's rows", async () => {
    const inbox = await watchBothTables(await clientFor(await userToken(alice)), 'alice-everything');
    const bobs = await writeBobsRows();
    // Sentinel: Alice's own row, committed after Bob's; delivery follows commit order.
    const sentinel = await insertPost(db, alice, aliceThread, { content: 'alice sentinel' });
    await inbox.next((event) => event.eventType === 'INSERT' && event.new.id === sentinel);

    expect(rowIds(inbox).filter((id) => id === sentinel)).toEqual([sentinel]);
    expectOthersHidden(inbox, [sentinel], bobs);
  });

  it("receives the user's own deletes (key only), and none of another user's", async () => {
    const inbox = await watchBothTables(await clientFor(await userToken(alice)), 'alice-deletes');
    const bobs = await writeBobsRows();
    const own = await insertPost(db, alice, aliceThread, { content: 'alice, to delete' });
    // INSERT/UPDATE are judged on the row as it is when checked (as in Supabase): let it arrive first.
    await inbox.next((event) => event.eventType === 'INSERT' && event.new.id === own);
    await db.query('delete from rt_test.posts where id = $1', [own]);
    const deleted = await inbox.next((event) => event.eventType === 'DELETE' && event.old.id === own);
    expect(deleted.old).toEqual({ id: own });
    const owns = inbox.events.filter((event) => rowId(event) === own);
    expect(owns.map((event) => event.eventType)).toEqual(['INSERT', 'DELETE']);
    expectOthersHidden(inbox, [own], bobs);
  });

  it("a schema-wide or all-schemas subscription still yields only the user's own rows", async () => {
    const client = await clientFor(await userToken(alice));
    const inbox = new EventInbox<Change>();
    const channel = client
      .channel('alice-schema-wide')
      .on('postgres_changes', { event: '*', schema: 'rt_test' }, inbox.push)
      .on('postgres_changes', { event: '*', schema: '*' }, inbox.push);
    await subscribed(channel);
    const bobs = await writeBobsRows();
    const sentinel = await insertPost(db, alice, aliceThread, { content: 'alice schema-wide sentinel' });
    // both bindings match: the one frame fires both callbacks
    await inbox.next(
      () => inbox.count((event) => event.eventType === 'INSERT' && event.new.id === sentinel) === 2,
    );
    expectOthersHidden(inbox, [sentinel], bobs);
    expect(rowIds(inbox).filter((id) => id === sentinel)).toHaveLength(2);
  });

  it('the anon key alone receives nothing from the tables', async () => {
    const anonClient = supabaseClient({ key: ANON_KEY });
    const inbox = new EventInbox<Change>();
    const system = new EventInbox<{ status: string; message: string }>();
    const channel = anonClient
      .channel('anon-everything')
      .on('postgres_changes', { event: '*', schema: 'rt_test', table: 'posts' }, inbox.push)
      .on('system', {}, system.push);
    await subscribed(channel);
    // Watch with the service role too, so we know when the writes have been streamed.
    const service = await watchBothTables(supabaseClient({ key: SERVICE_ROLE_KEY }), 'service-watch-anon');
    const bobs = await writeBobsRows();
    const sentinel = await insertPost(db, alice, aliceThread, { content: 'after anon' });
    await service.next((event) => event.eventType === 'INSERT' && event.new.id === sentinel);

    expect(inbox.events).toEqual([]);
    for (const id of bobs.ids) expect(rowIds(service)).toContain(id);
  });

  it("the service role receives every user's rows", async () => {
    const inbox = await watchBothTables(supabaseClient({ key: SERVICE_ROLE_KEY }), 'service-everything');
    const bobs = await writeBobsRows();
    const alicesRow = await insertPost(db, alice, aliceThread, { content: 'alice for service' });
    await inbox.next((event) => event.eventType === 'INSERT' && event.new.id === alicesRow);

    for (const id of [...bobs.ids, alicesRow]) expect(rowIds(inbox)).toContain(id);
  });

  it("a filter naming another user's thread still yields nothing of theirs", async () => {
    const client = await clientFor(await userToken(alice));
    const inbox = new EventInbox<Change>();
    const raw = new EventInbox<{ event: string }>();
    onRawMessage(client, raw.push);
    const channel = client
      .channel('alice-targets-bob')
      .on(
        'postgres_changes',
        { event: '*', schema: 'rt_test', table: 'posts', filter: `thread_id=eq.${bobThread}` },
        inbox.push,
      )
      .on(
        'postgres_changes',
        {
          event: 'INSERT',
          schema: 'rt_test',
          table: 'posts',
          filter: `thread_id=eq.${aliceThread}`,
        },
        inbox.push,
      );
    await subscribed(channel);
    await insertPost(db, bob, bobThread, { content: 'bob only' });
    const sentinel = await insertPost(db, alice, aliceThread, { content: 'alice sentinel 2' });
    await inbox.next((event) => event.eventType === 'INSERT' && event.new.id === sentinel);

    expect(rowIds(inbox)).toEqual([sentinel]);
    expect(raw.count((message) => message.event === 'postgres_changes')).toBe(1);
  });
});
