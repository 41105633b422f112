import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createTestSchema,
  listen,
  privateTopic,
  type ReceivedBroadcast,
  send,
} from './support/database-broadcast-fixture';
import {
  clientFor,
  refused,
  serviceDatabase,
  shortLivedToken,
  supabaseClient,
} from './support/realtime-fixture';

// Broadcast from Database (supabase/realtime `replication_connection.ex`; its e2e "broadcast changes",
// "broadcast binary / send_binary"): rows that realtime.send / send_binary / broadcast_changes insert into
// realtime.messages reach the topic's subscribers from the WAL, with meta.id = the row's id.

const db = serviceDatabase();
let reader: string;
let outsider: string;

beforeAll(async () => {
  await createTestSchema(db);
  reader = `reader-${randomUUID()}`;
  outsider = `outsider-${randomUUID()}`;
});

const tokenOf = (userId: string) => shortLivedToken(userId, 3600);

describe('realtime.send', () => {
  it('delivers to a public topic the payload as sent plus its id, with meta.id, to vsn 1 and vsn 2', async () => {
    const topic = `rtdb-public:${randomUUID()}`;
    const v2 = await listen(supabaseClient(), topic);
    const v1 = await listen(supabaseClient({ vsn: '1.0.0' }), topic);
    await send(db, topic, 'note', { text: 'hello', n: 1 }, false);
    for (const { inbox } of [v2, v1]) {
      const message = await inbox.next();
      expect(message).toMatchObject({ type: 'broadcast', event: 'note', payload: { text: 'hello', n: 1 } });
      const payload = message.payload as Record<string, unknown>;
      expect(payload.id).toEqual(expect.any(String));
      expect(message.meta).toEqual({ id: payload.id });
    }
  });

  it('keeps an id the payload already has (realtime.send adds one only when absent)', async () => {
    const topic = `rtdb-public:${randomUUID()}`;
    const { inbox } = await listen(supabaseClient(), topic);
    await send(db, topic, 'note', { id: 'mine' }, false);
    const message = await inbox.next();
    expect((message.payload as Record<string, unknown>).id).toBe('mine');
    expect(message.meta?.id).toEqual(expect.any(String));
    expect(message.meta?.id).not.toBe('mine');
  });

  it('sends a private topic to readers allowed by realtime.messages RLS, not to its public namesake', async () => {
    const topic = await privateTopic(db, [reader]);
    const allowed = await listen(await clientFor(await tokenOf(reader)), topic, { private: true });
    const publicNamesake = await listen(supabaseClient(), topic);
    await send(db, topic, 'secret', { value: 1 }, true);
    await send(db, topic, 'sentinel', {}, false);
    expect((await allowed.inbox.next()).payload).toMatchObject({ value: 1 });
    await publicNamesake.inbox.next((message) => message.event === 'sentinel');
    expect(publicNamesake.inbox.count((message) => message.event === 'secret')).toBe(0);
  });

  it('refuses a user the policies do not allow, so they receive nothing of the topic', async () => {
    const topic = await privateTopic(db, [reader]);
    const client = await clientFor(await tokenOf(outsider));
    const channel = client.channel(topic, { config: { private: true } });
    const outcome = await refused(channel);
    expect(outcome.status).toBe('CHANNEL_ERROR');
    expect(outcome.message).toContain('Unauthorized');
  });

  it('skips a row whose payload is over the payload limit and still delivers the next', async () => {
    const topic = `rtdb-public:${randomUUID()}`;
    const { inbox } = await listen(supabaseClient(), topic);
    await send(db, topic, 'huge', { text: 'x'.repeat(3_100_000) }, false);
    await send(db, topic, 'small', { text: 'ok' }, false);
    await inbox.next((message) => message.event === 'small');
    expect(inbox.count((message) => message.event === 'huge')).toBe(0);
  });

  it('warns instead of failing the caller when the row cannot be stored (no topic)', async () => {
    await expect(
      db.query('select realtime.send($1::jsonb, $2, null, false)', ['{}', 'ev']),
    ).resolves.toBeTruthy();
  });
});

describe('realtime.send_binary', () => {
  it('delivers the bytes as an ArrayBuffer to vsn 2 clients and nothing to vsn 1 clients', async () => {
    const topic = `rtdb-public:${randomUUID()}`;
    const v2 = await listen(supabaseClient(), topic);
    const v1 = await listen(supabaseClient({ vsn: '1.0.0' }), topic);
    await db.query('select realtime.send_binary($1::bytea, $2, $3, false)', [
      Buffer.from([0, 1, 2, 254, 255]),
      'bytes',
      topic,
    ]);
    await send(db, topic, 'sentinel', {}, false);
    const message = await v2.inbox.next((event) => event.event === 'bytes');
    expect(message.payload).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(message.payload as ArrayBuffer)]).toEqual([0, 1, 2, 254, 255]);
    expect(message.meta?.id).toEqual(expect.any(String));
    await v1.inbox.next((event) => event.event === 'sentinel');
    expect(v1.inbox.count((event) => event.event === 'bytes')).toBe(0);
  });
});

describe('realtime.broadcast_changes from a trigger', () => {
  async function itemChannel() {
    const topic = await privateTopic(db, [reader]);
    const { inbox } = await listen(await clientFor(await tokenOf(reader)), topic, { private: true });
    return { topic, inbox };
  }

  const byOperation = (operation: string) => (message: ReceivedBroadcast) => message.event === operation;

  it('sends INSERT, UPDATE and DELETE with record, old_record, operation, table and schema', async () => {
    const { topic, inbox } = await itemChannel();
    const id = randomUUID();
    await db.query('insert into rtdb_test.items (id, topic, value) values ($1, $2, $3)', [
      id,
      topic,
      'first',
    ]);
    await db.query('update rtdb_test.items set value = $2 where id = $1', [id, 'second']);
    await db.query('delete from rtdb_test.items where id = $1', [id]);

    const inserted = (await inbox.next(byOperation('INSERT'))).payload;
    expect(inserted).toMatchObject({
      operation: 'INSERT',
      schema: 'rtdb_test',
      table: 'items',
      record: { id, topic, value: 'first' },
      old_record: null,
    });
    const updated = (await inbox.next(byOperation('UPDATE'))).payload;
    expect(updated).toMatchObject({
      operation: 'UPDATE',
      record: { id, value: 'second' },
      old_record: { id, value: 'first' },
    });
    const deleted = (await inbox.next(byOperation('DELETE'))).payload;
    expect(deleted).toMatchObject({ operation: 'DELETE', record: null, old_record: { id, value: 'second' } });
    expect(inbox.events.map((message) => message.event)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
  });

  it('delivers nothing from a rolled-back transaction', async () => {
    const { topic, inbox } = await itemChannel();
    const client = await db.connect();
    try {
      await client.query('begin');
      await client.query('insert into rtdb_test.items (topic, value) values ($1, $2)', [topic, 'never']);
      await client.query('rollback');
    } finally {
      client.release();
    }
    await db.query('insert into rtdb_test.items (topic, value) values ($1, $2)', [topic, 'kept']);
    const message = await inbox.next();
    expect(message.payload).toMatchObject({ record: { value: 'kept' } });
    expect(inbox.events).toHaveLength(1);
  });
});

describe('realtime.messages', () => {
  it('is partitioned by day as in Supabase, with partitions from yesterday to three days ahead', async () => {
    const { rows } = await db.query<{ kind: string; partitions: string[] }>(
      `select (select relkind::text from pg_class where oid = 'realtime.messages'::regclass) as kind,
              array(select child.relname::text from pg_inherits
                    join pg_class child on child.oid = inhrelid
                    where inhparent = 'realtime.messages'::regclass order by 1) as partitions`,
    );
    const day = (offset: number) =>
      `messages_${new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '_')}`;
    expect(rows[0]?.kind).toBe('p');
    // Three days ahead as of the server's start (refreshed hourly): past midnight that is two days from now.
    expect(rows[0]?.partitions).toEqual(expect.arrayContaining([day(-1), day(0), day(1), day(2)]));
  });
});
