import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventInbox } from './support/event-inbox';
import {
  ANON_KEY,
  type Change,
  clientFor,
  createChatSession,
  createUser,
  insertMessage,
  onRawMessage,
  SERVICE_ROLE_KEY,
  serviceDatabase,
  subscribed,
  supabaseClient,
  userToken,
} from './support/realtime-fixture';

const db = serviceDatabase();
let alice: string;
let bob: string;
let aliceSession: string;
let bobSession: string;

beforeAll(async () => {
  alice = await createUser(db);
  bob = await createUser(db);
  aliceSession = await createChatSession(db, alice);
  bobSession = await createChatSession(db, bob);
});

/** Everything on both chat tables, no filter: only RLS stands between the subscriber and other users' rows. */
async function watchAllChatTables(client: SupabaseClient, name: string) {
  const inbox = new EventInbox<Change>();
  const channel = client
    .channel(name)
    .on('postgres_changes', { event: '*', schema: 'public', table: 'chat_messages' }, inbox.push)
    .on('postgres_changes', { event: '*', schema: 'public', table: 'chat_sessions' }, inbox.push);
  await subscribed(channel);
  return inbox;
}

function rowIds(inbox: EventInbox<Change>): unknown[] {
  return inbox.events.map((event) => (event.eventType === 'DELETE' ? event.old.id : event.new.id));
}

/** Bob's rows: a session, messages inserted, updated and deleted (the writes a chat makes). */
async function writeBobsRows(): Promise<string[]> {
  const session = await createChatSession(db, bob, 'Bob private');
  const first = await insertMessage(db, bob, bobSession, { content: 'bob secret' });
  const second = await insertMessage(db, bob, session, {
    role: 'assistant',
    content: 'bob reply',
    status: 'streaming',
  });
  await db.query(
    `update chat_messages set content = 'bob reply, longer', status = 'complete' where id = $1`,
    [second],
  );
  await db.query(`update chat_sessions set title = 'Bob renamed' where id = $1`, [bobSession]);
  await db.query('delete from chat_messages where id = $1', [first]);
  // deleting the session cascades to its messages: more DELETEs
  await db.query('delete from chat_sessions where id = $1', [session]);
  return [session, first, second, bobSession];
}

describe('postgres_changes isolation under RLS', () => {
  it("a user subscribed to everything with no filter receives none of another user's rows", async () => {
    const inbox = await watchAllChatTables(await clientFor(await userToken(alice)), 'alice-everything');
    const bobsRows = await writeBobsRows();
    // Sentinel: Alice's own row, committed after Bob's; delivery follows commit order.
    const sentinel = await insertMessage(db, alice, aliceSession, { content: 'alice sentinel' });
    await inbox.next((event) => event.eventType === 'INSERT' && event.new.id === sentinel);

    expect(rowIds(inbox)).toEqual([sentinel]);
    for (const id of bobsRows) expect(rowIds(inbox)).not.toContain(id);
  });

  it("receives the user's own deletes (key only), and none of another user's", async () => {
    const inbox = await watchAllChatTables(await clientFor(await userToken(alice)), 'alice-deletes');
    await writeBobsRows();
    const own = await insertMessage(db, alice, aliceSession, { content: 'alice, to delete' });
    // INSERT/UPDATE are judged on the row as it is when checked (as in Supabase): let it arrive first.
    await inbox.next((event) => event.eventType === 'INSERT');
    await db.query('delete from chat_messages where id = $1', [own]);
    const deleted = await inbox.next((event) => event.eventType === 'DELETE');
    expect(deleted.old).toEqual({ id: own });
    expect(inbox.events.map((event) => event.eventType)).toEqual(['INSERT', 'DELETE']);
  });

  it("a schema-wide or all-schemas subscription still yields only the user's own rows", async () => {
    const client = await clientFor(await userToken(alice));
    const inbox = new EventInbox<Change>();
    const channel = client
      .channel('alice-schema-wide')
      .on('postgres_changes', { event: '*', schema: 'public' }, inbox.push)
      .on('postgres_changes', { event: '*', schema: '*' }, inbox.push);
    await subscribed(channel);
    const bobsRows = await writeBobsRows();
    const sentinel = await insertMessage(db, alice, aliceSession, { content: 'alice schema-wide sentinel' });
    // both bindings match: the one frame fires both callbacks
    await inbox.next(
      () => inbox.count((event) => event.eventType === 'INSERT' && event.new.id === sentinel) === 2,
    );
    for (const id of bobsRows) expect(rowIds(inbox)).not.toContain(id);
    expect(new Set(rowIds(inbox))).toEqual(new Set([sentinel]));
  });

  it('the anon key alone receives nothing from the chat tables', async () => {
    const anonClient = supabaseClient({ key: ANON_KEY });
    const inbox = new EventInbox<Change>();
    const system = new EventInbox<{ status: string; message: string }>();
    const channel = anonClient
      .channel('anon-everything')
      .on('postgres_changes', { event: '*', schema: 'public', table: 'chat_messages' }, inbox.push)
      .on('system', {}, system.push);
    await subscribed(channel);
    // Watch with the service role too, so we know when the writes have been streamed.
    const service = await watchAllChatTables(supabaseClient({ key: SERVICE_ROLE_KEY }), 'service-watch-anon');
    const bobsRows = await writeBobsRows();
    const sentinel = await insertMessage(db, alice, aliceSession, { content: 'after anon' });
    await service.next((event) => event.eventType === 'INSERT' && event.new.id === sentinel);

    expect(inbox.events).toEqual([]);
    for (const id of bobsRows) expect(rowIds(service)).toContain(id);
  });

  it("the service role receives every user's rows", async () => {
    const inbox = await watchAllChatTables(supabaseClient({ key: SERVICE_ROLE_KEY }), 'service-everything');
    const bobsRows = await writeBobsRows();
    const alicesRow = await insertMessage(db, alice, aliceSession, { content: 'alice for service' });
    await inbox.next((event) => event.eventType === 'INSERT' && event.new.id === alicesRow);

    for (const id of [...bobsRows, alicesRow]) expect(rowIds(inbox)).toContain(id);
  });

  it("a filter naming another user's session still yields nothing of theirs", async () => {
    const client = await clientFor(await userToken(alice));
    const inbox = new EventInbox<Change>();
    const raw = new EventInbox<{ event: string }>();
    onRawMessage(client, raw.push);
    const channel = client
      .channel('alice-targets-bob')
      .on(
        'postgres_changes',
        { event: '*', schema: 'public', table: 'chat_messages', filter: `session_id=eq.${bobSession}` },
        inbox.push,
      )
      .on(
        'postgres_changes',
        {
          event: 'INSERT',
          schema: 'public',
          table: 'chat_messages',
          filter: `session_id=eq.${aliceSession}`,
        },
        inbox.push,
      );
    await subscribed(channel);
    await insertMessage(db, bob, bobSession, { content: 'bob only' });
    const sentinel = await insertMessage(db, alice, aliceSession, { content: 'alice sentinel 2' });
    await inbox.next((event) => event.eventType === 'INSERT' && event.new.id === sentinel);

    expect(rowIds(inbox)).toEqual([sentinel]);
    expect(raw.count((message) => message.event === 'postgres_changes')).toBe(1);
  });
});
