// Issue 11, item 5: the REST broadcast endpoint cannot be made to amplify one request into thousands of
// authorization transactions, nor to read an unbounded body.
import http from 'node:http';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_JWT_SECRET } from '@/env';
import { type RealtimeServer, startRealtimeServer } from '@/realtime';
import { DEFAULT_LIMITS } from '@/realtime/realtime-limits';
import { Bystander } from './support/bystander';
import { createTestSchema, privateTopic } from './support/database-broadcast-fixture';
import { EventInbox } from './support/event-inbox';
import {
  ANON_KEY,
  clientFor,
  newUser,
  realtimeUrl,
  SERVICE_ROLE_KEY,
  serviceDatabase,
  subscribed,
  userToken,
} from './support/realtime-fixture';

const db = serviceDatabase();
let bystander: Bystander;

beforeAll(async () => {
  await createTestSchema(db);
  bystander = await Bystander.join(realtimeUrl(), 'rest-attack-lobby');
});
afterAll(() => bystander?.close());

function postBatch(key: string, body: unknown, baseUrl = realtimeUrl()) {
  return fetch(`${baseUrl}/realtime/v1/api/broadcast`, {
    method: 'POST',
    headers: { apikey: key, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const privateMessages = (count: number, topicOf: (index: number) => string) => ({
  messages: Array.from({ length: count }, (_, index) => ({
    topic: topicOf(index),
    event: 'delta',
    payload: { index },
    private: true,
  })),
});

async function listenPrivate(client: SupabaseClient, topic: string) {
  const inbox = new EventInbox<{ event: string; payload: { index: number } }>();
  await subscribed(
    client.channel(topic, { config: { private: true } }).on('broadcast', { event: '*' }, inbox.push),
  );
  return inbox;
}

describe('batch amplification (the issue’s attack)', () => {
  it('refuses 10,000 private messages to distinct topics from the anon key with 429, before authorizing any', async () => {
    const response = await postBatch(
      ANON_KEY,
      privateMessages(10_000, (index) => `room:${index}`),
    );
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({
      message: 'Too many messages to broadcast, please reduce the batch size',
    });
    expect(await bystander.heartbeatMs()).toBeLessThan(1000);
  });

  it(`refuses more than ${DEFAULT_LIMITS.maxPrivateTopicsPerRequest} distinct private topics in one request`, async () => {
    const response = await postBatch(
      ANON_KEY,
      privateMessages(DEFAULT_LIMITS.maxPrivateTopicsPerRequest + 1, (index) => `room:${index}`),
    );
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({
      message: `Too many private topics in one request (at most ${DEFAULT_LIMITS.maxPrivateTopicsPerRequest})`,
    });
  });

  it('authorizes each private topic of a batch once, and delivers only where the sender may write', async () => {
    const owner = newUser();
    const stranger = newUser();
    // private topics only their one user may read and write (test-owned policies on realtime.messages)
    const own = await privateTopic(db, [owner]);
    const foreign = await privateTopic(db, [stranger]);
    const ownInbox = await listenPrivate(await clientFor(await userToken(owner)), own);
    const foreignInbox = await listenPrivate(await clientFor(await userToken(stranger)), foreign);

    const response = await postBatch(
      await userToken(owner),
      privateMessages(DEFAULT_LIMITS.maxBroadcastMessagesPerRequest, (index) => (index % 2 ? foreign : own)),
    );
    expect(response.status).toBe(202);
    await ownInbox.next(
      (message) => message.payload.index === DEFAULT_LIMITS.maxBroadcastMessagesPerRequest - 2,
    );
    expect(ownInbox.events.map((message) => message.payload.index)).toEqual(
      Array.from({ length: DEFAULT_LIMITS.maxBroadcastMessagesPerRequest / 2 }, (_, index) => index * 2),
    );
    // A sentinel from the service key proves nothing of the owner's batch is still on its way to the stranger.
    await postBatch(
      SERVICE_ROLE_KEY,
      privateMessages(1, () => foreign),
    );
    await foreignInbox.next();
    expect(foreignInbox.events.map((message) => message.payload.index)).toEqual([0]);
  });

  it('still takes a backend’s large batches (one per streaming topic) from the service key', async () => {
    const response = await postBatch(
      SERVICE_ROLE_KEY,
      privateMessages(500, (index) => `room:backend-${index % 200}`),
    );
    expect(response.status).toBe(202);
  });

  it('refuses a body nested deeper than the limit with 422', async () => {
    const deep = `{"messages":[{"topic":"t","event":"e","payload":{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}}]}`;
    const response = await postBatch(ANON_KEY, deep);
    expect(response.status).toBe(422);
    expect((await response.json()).message).toMatch(/^PayloadTooDeep/);
  });
});

describe('single-message path', () => {
  it.each([
    ['topic', '/realtime/v1/api/broadcast/%E0%A4%A/events/x'],
    ['event', '/realtime/v1/api/broadcast/room/events/%'],
  ])('answers 400, not 500, to a malformed %%-escape in the %s', async (_, path) => {
    const response = await fetch(`${realtimeUrl()}${path}`, {
      method: 'POST',
      headers: { apikey: ANON_KEY, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await bystander.heartbeatMs()).toBeLessThan(1000);
  });
});

describe('request bodies', () => {
  const BODY_LIMIT = 64 * 1024;
  let server: RealtimeServer;
  beforeAll(async () => {
    server = await startRealtimeServer({
      port: 0,
      databaseUrl: inject('databaseUrl'),
      jwtSecret: DEMO_JWT_SECRET,
      limits: { maxRequestBodyBytes: BODY_LIMIT },
    });
  });
  afterAll(() => server.stop());

  it('refuses a declared length over the limit with 413 before reading a byte of it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(`${server.url}/realtime/v1/api/broadcast`, {
        method: 'POST',
        headers: { apikey: ANON_KEY, 'content-type': 'application/json', 'content-length': 30_000_000 },
      });
      request.on('response', (response) => resolve(response.statusCode ?? 0));
      request.on('error', reject);
      request.write('{"messages":[');
    });
    expect(status).toBe(413);
  });

  it('stops reading a streamed body at the limit: 413, and the rest of 30 MB is never taken', async () => {
    const chunk = Buffer.alloc(16 * 1024, ' ');
    const outcome = await new Promise<{ status: number; written: number }>((resolve) => {
      let written = 0;
      let status = 0;
      const request = http.request(`${server.url}/realtime/v1/api/broadcast`, {
        method: 'POST',
        headers: { apikey: ANON_KEY, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      const finish = () => resolve({ status, written });
      request.on('response', (response) => {
        status = response.statusCode ?? 0;
        response.resume();
        response.on('close', finish);
      });
      request.on('error', finish);
      const pump = () => {
        while (written < 30_000_000 && status === 0) {
          written += chunk.length;
          if (!request.write(chunk)) return void request.once('drain', pump);
        }
        if (status === 0) request.end();
      };
      pump();
    });
    expect(outcome.status).toBe(413);
    // Loopback socket buffers hold a few MB at most; the server read BODY_LIMIT of it.
    expect(outcome.written).toBeLessThan(10_000_000);
  });
});
