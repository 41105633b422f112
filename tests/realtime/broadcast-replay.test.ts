import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_JWT_SECRET } from '@/env';
import { type RealtimeServer, startRealtimeServer } from '@/realtime';
import {
  createTestSchema,
  listen,
  privateTopic,
  type ReceivedBroadcast,
  send,
  walSettled,
} from './support/database-broadcast-fixture';
import { RawSocket } from './support/raw-socket';
import {
  ANON_KEY,
  clientFor,
  realtimeUrl,
  serviceDatabase,
  shortLivedToken,
  supabaseClient,
} from './support/realtime-fixture';

// Broadcast replay (supabase/realtime `realtime_channel.ex` maybe_replay_messages, `Realtime.Messages.replay`;
// its e2e "broadcast replay"): a private channel joined with config.broadcast.replay = {since, limit} first
// receives the topic's stored broadcasts since then, oldest first, each with meta.replayed, then live ones.

const db = serviceDatabase();
let reader: string;

beforeAll(async () => {
  await createTestSchema(db);
  reader = `reader-${randomUUID()}`;
});

async function readerClient(vsn?: '1.0.0' | '2.0.0') {
  return clientFor(await shortLivedToken(reader, 3600), vsn);
}

/** Stores `count` private broadcasts `minutesAgo` minutes back (as realtime.send would, with explicit times). */
async function storeOld(topic: string, count: number, minutesAgo: number, event = 'old'): Promise<void> {
  await db.query(
    `insert into realtime.messages (topic, extension, event, private, payload, inserted_at)
     select $1, 'broadcast', $2, true, jsonb_build_object('n', n), now() - make_interval(mins => $3) + n * interval '1 ms'
     from generate_series(1, $4) as n`,
    [topic, event, minutesAgo, count],
  );
}

const numbers = (messages: ReceivedBroadcast[]) =>
  messages.map((message) => (message.payload as { n?: number }).n);

describe('replay on join', () => {
  it('sends the stored messages since `since`, oldest first with meta.replayed, then live ones', async () => {
    const topic = await privateTopic(db, [reader]);
    await storeOld(topic, 2, 30, 'too-old');
    await storeOld(topic, 3, 5);
    await send(db, topic, 'public-namesake', { n: 99 }, false);
    await walSettled(db, supabaseClient());
    const { inbox } = await listen(await readerClient(), topic, {
      private: true,
      replay: { since: Date.now() - 10 * 60_000, limit: 10 },
    });
    await send(db, topic, 'live', { n: 4 }, true);
    await inbox.next((message) => message.event === 'live');
    expect(numbers(inbox.events)).toEqual([1, 2, 3, 4]);
    expect(inbox.events.slice(0, 3).every((message) => message.meta?.replayed === true)).toBe(true);
    expect(inbox.events[0]?.meta?.id).toEqual(expect.any(String));
    expect(inbox.events[3]?.meta).toEqual({ id: expect.any(String) });
  });

  it('replays the newest `limit` messages, capped at 25 however many are asked for', async () => {
    const topic = await privateTopic(db, [reader]);
    await storeOld(topic, 30, 5);
    await walSettled(db, supabaseClient());
    const since = Date.now() - 10 * 60_000;
    const huge = await listen(await readerClient(), topic, { private: true, replay: { since, limit: 1e9 } });
    const two = await listen(await readerClient(), topic, { private: true, replay: { since, limit: 2 } });
    const defaulted = await listen(await readerClient(), topic, { private: true, replay: { since } });
    const negative = await listen(await readerClient(), topic, {
      private: true,
      replay: { since, limit: -5 },
    });
    await send(db, topic, 'live', { n: 0 }, true);
    for (const { inbox } of [huge, two, defaulted, negative])
      await inbox.next((message) => message.event === 'live');
    expect(numbers(huge.inbox.events).slice(0, -1)).toEqual(
      Array.from({ length: 25 }, (_, index) => index + 6),
    );
    expect(numbers(defaulted.inbox.events)).toEqual(numbers(huge.inbox.events));
    expect(numbers(two.inbox.events)).toEqual([29, 30, 0]);
    expect(numbers(negative.inbox.events)).toEqual([30, 0]);
  });

  it('takes a negative `since` as "from the beginning"', async () => {
    const topic = await privateTopic(db, [reader]);
    await storeOld(topic, 1, 60 * 24);
    await walSettled(db, supabaseClient());
    const { inbox } = await listen(await readerClient(), topic, { private: true, replay: { since: -1_000 } });
    await send(db, topic, 'live', { n: 2 }, true);
    await inbox.next((message) => message.event === 'live');
    expect(numbers(inbox.events)).toEqual([1, 2]);
  });

  it('replays binary payloads to vsn 2 clients and leaves them out for vsn 1 clients', async () => {
    const topic = await privateTopic(db, [reader]);
    await db.query('select realtime.send_binary($1::bytea, $2, $3, true)', [
      Buffer.from([7, 8]),
      'bytes',
      topic,
    ]);
    await send(db, topic, 'json', { n: 1 }, true);
    await walSettled(db, supabaseClient());
    const since = Date.now() - 60_000;
    const v2 = await listen(await readerClient(), topic, { private: true, replay: { since } });
    const v1 = await listen(await readerClient('1.0.0'), topic, { private: true, replay: { since } });
    await v2.inbox.next((message) => message.event === 'json');
    await v1.inbox.next((message) => message.event === 'json');
    expect(v2.inbox.events.map((message) => message.event)).toEqual(['bytes', 'json']);
    expect([...new Uint8Array(v2.inbox.events[0]?.payload as ArrayBuffer)]).toEqual([7, 8]);
    expect(v1.inbox.events.map((message) => message.event)).toEqual(['json']);
    expect(v1.inbox.events[0]?.meta?.replayed).toBe(true);
  });
});

describe('replay refusals', () => {
  // A raw socket: supabase-js itself refuses replay on a public channel before sending anything.
  const refusal = async (config: Record<string, unknown>, userId = reader) => {
    const topic = await privateTopic(db, [reader]);
    const socket = await RawSocket.open(realtimeUrl(), ANON_KEY);
    try {
      const access_token = await shortLivedToken(userId, 3600);
      socket.send(JSON.stringify(['1', '1', `realtime:${topic}`, 'phx_join', { config, access_token }]));
      const [, , , , reply] = await socket.reply('1');
      return { status: reply.status, reason: String(reply.response.reason) };
    } finally {
      socket.close();
    }
  };

  it('refuses replay on a public channel, as Supabase does', async () => {
    expect(await refusal({ private: false, broadcast: { replay: { since: 0 } } })).toEqual({
      status: 'error',
      reason: 'UnableToReplayMessages: Replay is not allowed for public channels',
    });
  });

  it('refuses a user the topic policies do not allow', async () => {
    const outcome = await refusal(
      { private: true, broadcast: { replay: { since: 0 } } },
      `outsider-${randomUUID()}`,
    );
    expect(outcome.status).toBe('error');
    expect(outcome.reason).toMatch(/^Unauthorized: /);
  });

  it.each([
    ['since missing', {}],
    ['since a string', { since: 'yesterday' }],
    ['since a numeric string', { since: '0' }],
    ['since a fraction', { since: 1.5 }],
    ['since past year 9999', { since: 1e20 }],
    ['since not a number', { since: { $gt: 0 } }],
    ['limit a string', { since: 0, limit: '10' }],
    ['limit a fraction', { since: 0, limit: 2.5 }],
    ['limit beyond safe integers', { since: 0, limit: 1e300 }],
    ['replay not an object', 'everything'],
  ])('refuses invalid params (%s)', async (_case, replay) => {
    expect(await refusal({ private: true, broadcast: { replay } })).toEqual({
      status: 'error',
      reason: 'UnableToReplayMessages: Replay params are not valid',
    });
  });
});

describe('replay and the payload limit', () => {
  const PAYLOAD_LIMIT = 1_000;
  let server: RealtimeServer;
  beforeAll(async () => {
    server = await startRealtimeServer({
      port: 0,
      databaseUrl: inject('databaseUrl'),
      jwtSecret: DEMO_JWT_SECRET,
      limits: { maxPayloadBytes: PAYLOAD_LIMIT },
    });
  });
  afterAll(() => server.stop());

  it('leaves out stored messages over the payload limit, live and replayed', async () => {
    const topic = await privateTopic(db, [reader]);
    await send(db, topic, 'big', { text: 'x'.repeat(PAYLOAD_LIMIT) }, true);
    await send(db, topic, 'small', { n: 1 }, true);
    const client = createClient(server.url, ANON_KEY, {
      accessToken: async () => shortLivedToken(reader, 3600),
    });
    await client.realtime.setAuth();
    try {
      await walSettled(db, client);
      const { inbox } = await listen(client, topic, {
        private: true,
        replay: { since: Date.now() - 60_000 },
      });
      await send(db, topic, 'big', { text: 'y'.repeat(PAYLOAD_LIMIT) }, true);
      await send(db, topic, 'live', { n: 2 }, true);
      await inbox.next((message) => message.event === 'live');
      expect(inbox.events.map((message) => message.event)).toEqual(['small', 'live']);
    } finally {
      await client.removeAllChannels();
      client.realtime.disconnect();
    }
  });
});

describe('replication_ready', () => {
  it('sends "Replication connection established" to a channel that opts in', async () => {
    const topic = `rtdb-public:${randomUUID()}`;
    const { system } = await listen(supabaseClient(), topic, { replicationReady: true });
    expect(await system.next()).toEqual({
      extension: 'system',
      status: 'ok',
      message: 'Replication connection established',
      channel: topic,
    });
  });

  it('sends nothing of the kind to a channel that does not opt in', async () => {
    const topic = `rtdb-public:${randomUUID()}`;
    const { system, inbox } = await listen(supabaseClient(), topic);
    await send(db, topic, 'sentinel', {}, false);
    await inbox.next();
    expect(system.events).toEqual([]);
  });
});
