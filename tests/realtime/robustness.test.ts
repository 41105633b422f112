import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_JWT_SECRET } from '@/env';
import { type RealtimeServer, startRealtimeServer } from '@/realtime';
import { EventInbox } from './support/event-inbox';
import { RawSocket } from './support/raw-socket';
import {
  ANON_KEY,
  realtimeUrl,
  SERVICE_ROLE_KEY,
  subscribed,
  supabaseClient,
} from './support/realtime-fixture';

describe('malformed input', () => {
  let socket: RawSocket;
  beforeAll(async () => {
    socket = await RawSocket.open(realtimeUrl(), ANON_KEY);
  });
  afterAll(() => socket.close());

  it('answers a frame that is not JSON with an error reply and keeps serving', async () => {
    socket.send('{not json');
    const error = await socket.next((frame) => Array.isArray(frame) && frame[4]?.status === 'error');
    expect((error as unknown[])[4]).toMatchObject({
      status: 'error',
      response: { reason: 'frame is not JSON' },
    });
    expect(await socket.heartbeat('h1')).toBe('ok');
  });

  it('answers a push on a topic it has not joined with "unmatched topic"', async () => {
    socket.send(
      JSON.stringify([
        null,
        'u1',
        'realtime:nowhere',
        'broadcast',
        { type: 'broadcast', event: 'x', payload: {} },
      ]),
    );
    expect((await socket.reply('u1'))[4]).toEqual({
      status: 'error',
      response: { reason: 'unmatched topic' },
    });
  });

  it('ignores unknown events on a joined channel', async () => {
    socket.send(JSON.stringify(['j1', 'j1', 'realtime:fuzz-room', 'phx_join', { config: {} }]));
    expect((await socket.reply('j1'))[4].status).toBe('ok');
    socket.send(JSON.stringify(['j1', 'x1', 'realtime:fuzz-room', 'no_such_event', {}]));
    expect(await socket.heartbeat('h2')).toBe('ok');
  });

  it('survives 1,000 garbled frames, and other clients never notice', async () => {
    const observer = supabaseClient({ key: ANON_KEY });
    const inbox = new EventInbox<{ event: string }>();
    await subscribed(observer.channel('fuzz-room').on('broadcast', { event: '*' }, inbox.push));

    const valid = JSON.stringify([
      'j1',
      '5',
      'realtime:fuzz-room',
      'broadcast',
      { type: 'broadcast', event: 'e', payload: { a: 1 } },
    ]);
    for (let index = 0; index < 1000; index++) socket.send(garble(valid, index));
    expect(await socket.heartbeat('after-fuzz')).toBe('ok');

    await supabaseClient({ key: SERVICE_ROLE_KEY }).channel('fuzz-room').httpSend('still-here', {});
    await inbox.next((message) => message.event === 'still-here');
  });
});

/** Mutations of a valid frame, random text, random binary: what a broken or hostile client might send. */
function garble(valid: string, seed: number): string | Buffer {
  switch (seed % 6) {
    case 0:
      return randomBytes(seed % 300);
    case 1:
      return Buffer.concat([Buffer.from([3]), randomBytes(seed % 40)]);
    case 2:
      return valid.slice(0, seed % valid.length);
    case 3: {
      const at = seed % valid.length;
      return valid.slice(0, at) + String.fromCharCode(32 + (seed % 90)) + valid.slice(at + 1);
    }
    case 4:
      return JSON.stringify([seed, { nested: [seed] }, null, seed % 2 === 0, 'x'.repeat(seed % 50)]);
    default:
      return randomBytes(seed % 64).toString('base64');
  }
}

describe('limits', () => {
  let server: RealtimeServer;
  beforeAll(async () => {
    server = await startRealtimeServer({
      port: 0,
      databaseUrl: inject('databaseUrl'),
      jwtSecret: DEMO_JWT_SECRET,
      limits: {
        maxPayloadBytes: 2048,
        maxChannelsPerConnection: 2,
        maxPushesPerSecond: 20,
        maxConnections: 3,
      },
    });
  });
  afterAll(() => server.stop());

  it('refuses an oversized payload with an error reply and keeps the socket', async () => {
    const socket = await RawSocket.open(server.url, ANON_KEY);
    socket.send(
      JSON.stringify(['j', 'j', 'realtime:big', 'phx_join', { config: { broadcast: { ack: true } } }]),
    );
    await socket.reply('j');
    socket.send(
      JSON.stringify([
        'j',
        'b1',
        'realtime:big',
        'broadcast',
        { type: 'broadcast', event: 'e', payload: { blob: 'x'.repeat(4096) } },
      ]),
    );
    expect((await socket.reply('b1'))[4]).toMatchObject({
      status: 'error',
      response: { reason: expect.stringMatching(/^PayloadTooLarge/) },
    });
    expect(await socket.heartbeat('h')).toBe('ok');
    socket.close();
  });

  it('refuses channels beyond the per-connection limit', async () => {
    const socket = await RawSocket.open(server.url, ANON_KEY);
    for (const name of ['a', 'b']) {
      socket.send(JSON.stringify([name, name, `realtime:${name}`, 'phx_join', {}]));
      expect((await socket.reply(name))[4].status).toBe('ok');
    }
    socket.send(JSON.stringify(['c', 'c', 'realtime:c', 'phx_join', {}]));
    expect((await socket.reply('c'))[4]).toEqual({
      status: 'error',
      response: { reason: 'ChannelRateLimitReached: Too many channels' },
    });
    socket.close();
  });

  it('refuses pushes beyond the per-second limit with a clear reason', async () => {
    const socket = await RawSocket.open(server.url, ANON_KEY);
    socket.send(JSON.stringify(['r', 'r', 'realtime:rate', 'phx_join', {}]));
    await socket.reply('r');
    for (let index = 0; index < 40; index++) {
      socket.send(
        JSON.stringify([
          'r',
          `p${index}`,
          'realtime:rate',
          'broadcast',
          { type: 'broadcast', event: 'e', payload: {} },
        ]),
      );
    }
    const limited = await socket.next(
      (frame) => Array.isArray(frame) && frame[4]?.response?.reason?.startsWith('RateLimitReached'),
    );
    expect((limited as unknown[])[4]).toEqual({
      status: 'error',
      response: { reason: 'RateLimitReached: Too many messages per second' },
    });
    socket.close();
  });

  it('refuses connections beyond the server limit at the upgrade', async () => {
    const sockets = await Promise.all([0, 1, 2].map(() => RawSocket.open(server.url, ANON_KEY)));
    await expect(RawSocket.open(server.url, ANON_KEY)).rejects.toThrow(/429/);
    for (const socket of sockets) socket.close();
  });
});
