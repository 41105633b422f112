import { beforeAll, describe, expect, it } from 'vitest';
import { EventInbox } from './support/event-inbox';
import {
  type Change,
  clientFor,
  newUser,
  onRawMessage,
  serviceDatabase,
  subscribed,
  userToken,
} from './support/realtime-fixture';
import { createTestTables, createThread, insertPost } from './support/test-tables';

const db = serviceDatabase();
beforeAll(() => createTestTables(db));
let userId: string;
let threadId: string;
let token: string;

beforeAll(async () => {
  userId = newUser();
  threadId = await createThread(db, userId);
  token = await userToken(userId);
});

describe.each(['1.0.0', '2.0.0'] as const)('postgres_changes with a vsn %s client', (vsn) => {
  it("subscribes, then delivers INSERT, UPDATE and DELETE of the user's own rows in supabase-js shape", async () => {
    const inbox = new EventInbox<Change>();
    const channel = (await clientFor(token, vsn))
      .channel(`own-rows-${vsn}`)
      .on(
        'postgres_changes',
        { event: '*', schema: 'rt_test', table: 'posts', filter: `thread_id=eq.${threadId}` },
        inbox.push,
      );
    await subscribed(channel);

    const id = await insertPost(db, userId, threadId, {
      content: 'first',
      seq: 3,
      metadata: { tokens: 7 },
    });
    const inserted = await inbox.next((event) => event.eventType === 'INSERT' && event.new.id === id);
    expect(inserted).toMatchObject({
      schema: 'rt_test',
      table: 'posts',
      eventType: 'INSERT',
      errors: null,
      old: {},
      new: {
        id,
        thread_id: threadId,
        user_id: userId,
        content: 'first',
        seq: 3,
        metadata: { tokens: 7 },
        label: null,
      },
    });
    expect(inserted.commit_timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(typeof inserted.new.created_at).toBe('string');
    expect(Number.isNaN(Date.parse(inserted.new.created_at as string))).toBe(false);

    await db.query(`update rt_test.posts set content = 'second', status = 'stopped' where id = $1`, [id]);
    const updated = await inbox.next((event) => event.eventType === 'UPDATE' && event.new.id === id);
    expect(updated.new).toMatchObject({ id, content: 'second', status: 'stopped' });
    // replica identity full: the whole old row
    expect(updated.old).toMatchObject({ id, content: 'first', status: 'complete' });

    await db.query('delete from rt_test.posts where id = $1', [id]);
    const deleted = await inbox.next((event) => event.eventType === 'DELETE');
    // RLS is on, so a DELETE carries the primary key only, as in Supabase
    expect(deleted.old).toEqual({ id });
    expect(deleted.new).toEqual({});
  });
});

it('reports columns with their Postgres type names', async () => {
  const client = await clientFor(token);
  const raw = new EventInbox<{ data?: { columns?: { name: string; type: string }[] } }>();
  onRawMessage(client, (message) => {
    if (message.event === 'postgres_changes') raw.push(message.payload as never);
  });
  const channel = client
    .channel('column-types')
    .on(
      'postgres_changes',
      { event: 'INSERT', schema: 'rt_test', table: 'posts', filter: `thread_id=eq.${threadId}` },
      () => {},
    );
  await subscribed(channel);
  await insertPost(db, userId, threadId, { content: 'typed' });
  const frame = await raw.next();
  expect(frame.data?.columns).toEqual(
    expect.arrayContaining([
      { name: 'id', type: 'uuid' },
      { name: 'thread_id', type: 'uuid' },
      { name: 'user_id', type: 'text' },
      { name: 'seq', type: 'int4' },
      { name: 'metadata', type: 'jsonb' },
      { name: 'created_at', type: 'timestamptz' },
    ]),
  );
});

it('delivers every row of a back-to-back series, each judged on its committed state', async () => {
  const inbox = new EventInbox<Change>();
  const channel = (await clientFor(token))
    .channel('back-to-back')
    .on(
      'postgres_changes',
      { event: 'INSERT', schema: 'rt_test', table: 'posts', filter: `thread_id=eq.${threadId}` },
      inbox.push,
    );
  await subscribed(channel);
  // Postgres streams a commit a moment before other sessions can see it: checked too early, a row would be
  // invisible to its owner's RLS check and silently dropped.
  for (let seq = 1; seq <= 150; seq++) {
    const id = await insertPost(db, userId, threadId, { content: `row ${seq}`, seq });
    await inbox.next((event) => event.new.id === id);
  }
  expect(inbox.events.map((event) => event.new.seq)).toEqual(
    Array.from({ length: 150 }, (_, index) => index + 1),
  );
});

it('carries a long (TOASTed) column unchanged by an UPDATE in full', async () => {
  const inbox = new EventInbox<Change>();
  const channel = (await clientFor(token))
    .channel('toasted')
    .on(
      'postgres_changes',
      { event: 'UPDATE', schema: 'rt_test', table: 'posts', filter: `thread_id=eq.${threadId}` },
      inbox.push,
    );
  await subscribed(channel);
  // random text does not compress, so Postgres stores it out of line (TOAST)
  const longReply = Array.from({ length: 4000 }, () => Math.random().toString(36).slice(2, 7)).join(' ');
  const id = await insertPost(db, userId, threadId, {
    content: longReply,
    status: 'streaming',
  });
  await db.query(`update rt_test.posts set status = 'complete' where id = $1`, [id]);
  const updated = await inbox.next((event) => event.new.id === id);
  expect(updated.new.status).toBe('complete');
  expect(updated.new.content).toBe(longReply);
});
