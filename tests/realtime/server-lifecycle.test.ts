import { createClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { DEMO_JWT_SECRET } from '@/env';
import { type RealtimeServer, startRealtimeServer } from '@/realtime';
import { createTestSchema, privateTopic } from './support/database-broadcast-fixture';
import { EventInbox } from './support/event-inbox';
import { RawSocket } from './support/raw-socket';
import {
  ANON_KEY,
  type Change,
  newUser,
  serviceDatabase,
  subscribed,
  userToken,
} from './support/realtime-fixture';
import { createTestTables, createThread, insertPost } from './support/test-tables';

const db = serviceDatabase();
beforeAll(() => createTestTables(db));

/** Slots of realtime servers started by this test process (slot names carry the pid; other files run in parallel). */
async function ourSlots(): Promise<{ slot_name: string; temporary: boolean; active_pid: number | null }[]> {
  const { rows } = await db.query(
    'select slot_name, temporary, active_pid from pg_replication_slots where slot_name like $1',
    [`realtime_${process.pid}_%`],
  );
  return rows;
}

function startServer(
  limits: Parameters<typeof startRealtimeServer>[0]['limits'] = {},
): Promise<RealtimeServer> {
  return startRealtimeServer({
    port: 0,
    databaseUrl: inject('databaseUrl'),
    jwtSecret: DEMO_JWT_SECRET,
    limits,
  });
}

describe('replication slot', () => {
  it('is temporary while the server runs and gone once it stops', async () => {
    const before = new Set((await ourSlots()).map((slot) => slot.slot_name));
    const server = await startServer();
    const added = (await ourSlots()).filter((slot) => !before.has(slot.slot_name));
    expect(added).toHaveLength(1);
    expect(added[0]?.temporary).toBe(true);
    await server.stop();
    // Postgres drops a temporary slot as its walsender exits, just after our connection closes.
    await vi.waitFor(
      async () => {
        const remaining = (await ourSlots()).map((slot) => slot.slot_name);
        expect(remaining).not.toContain(added[0]?.slot_name);
      },
      { timeout: 10_000, interval: 100 },
    );
  });

  it('reconnects with a fresh slot when its replication connection is killed, and keeps delivering', async () => {
    const server = await startServer();
    try {
      const userId = newUser();
      const threadId = await createThread(db, userId);
      const client = createClient(server.url, ANON_KEY, { accessToken: async () => userToken(userId) });
      await client.realtime.setAuth();
      const inbox = new EventInbox<Change>();
      await subscribed(
        client.channel('survives').on(
          'postgres_changes',
          {
            event: 'INSERT',
            schema: 'rt_test',
            table: 'posts',
            filter: `thread_id=eq.${threadId}`,
          },
          inbox.push,
        ),
      );
      // Only this process's server (slot names carry the pid): the shared test server must not miss changes.
      const { rows } = await db.query<{ pid: number }>(
        'select active_pid as pid from pg_replication_slots where slot_name like $1 and active_pid is not null',
        [`realtime_${process.pid}_%`],
      );
      expect(rows).toHaveLength(1);
      await db.query('select pg_terminate_backend($1)', [rows[0]?.pid]);

      // Rows written after the reconnect are delivered; keep writing until one comes through.
      let delivered = false;
      for (let attempt = 0; !delivered && attempt < 100; attempt++) {
        const id = await insertPost(db, userId, threadId, { content: `after kill ${attempt}` });
        delivered = await Promise.race([
          inbox.next((event) => event.new.id === id).then(() => true),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 200)),
        ]);
      }
      expect(delivered).toBe(true);
      client.realtime.disconnect();
    } finally {
      await server.stop();
    }
  });
});

describe('graceful shutdown and idle sockets', () => {
  it('tells joined channels the server is going away, then closes', async () => {
    const server = await startServer();
    const socket = await RawSocket.open(server.url, ANON_KEY);
    socket.send(JSON.stringify(['1', '1', 'realtime:bye', 'phx_join', {}]));
    await socket.reply('1');
    await server.stop();
    const notice = await socket.next((frame) => Array.isArray(frame) && frame[3] === 'system');
    expect((notice as unknown[])[4]).toMatchObject({ status: 'ok', message: 'Server requested disconnect' });
    await socket.next((frame) => Array.isArray(frame) && frame[3] === 'phx_close');
  });

  it('closes a socket that stays silent past the idle timeout, not one that heartbeats', async () => {
    const server = await startServer({ idleTimeoutMs: 400 });
    try {
      const silent = await RawSocket.open(server.url, ANON_KEY);
      const alive = await RawSocket.open(server.url, ANON_KEY);
      const beat = setInterval(
        () => alive.send(JSON.stringify([null, 'hb', 'phoenix', 'heartbeat', {}])),
        100,
      );
      await silent.whenClosed();
      // several idle timeouts later, the heartbeating socket is still open
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      clearInterval(beat);
      expect(alive.closed).toBe(false);
      alive.close();
    } finally {
      await server.stop();
    }
  });
});

describe('private channel permission on token refresh', () => {
  let owner: string;
  let other: string;
  beforeAll(async () => {
    await createTestSchema(db);
    owner = newUser();
    other = newUser();
  });

  it('closes the channel when a refreshed token no longer grants the topic', async () => {
    // a private topic whose realtime.messages policy (test-owned) lets only `owner` read it
    const topic = await privateTopic(db, [owner]);
    let token = await userToken(owner);
    const client = createClient(inject('realtimeUrl'), ANON_KEY, { accessToken: async () => token });
    await client.realtime.setAuth();
    const system = new EventInbox<{ status: string; message: string }>();
    await subscribed(client.channel(topic, { config: { private: true } }).on('system', {}, system.push));

    token = await userToken(other);
    await client.realtime.setAuth();
    const notice = await system.next((message) => message.status === 'error');
    expect(notice.message).toBe(`You no longer have permission to read from this Channel topic: ${topic}`);
    client.realtime.disconnect();
  });
});
