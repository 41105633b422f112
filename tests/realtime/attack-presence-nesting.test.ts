// Issue 11, item 1: one frame from anyone must not kill realtime. The server runs in a process of its own,
// so "the process survived" is something the test can see.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_LIMITS } from '@/realtime/realtime-limits';
import { Bystander } from './support/bystander';
import { RawSocket } from './support/raw-socket';
import { ANON_KEY, shortLivedToken } from './support/realtime-fixture';
import { type RealtimeProcess, startRealtimeProcess } from './support/realtime-process';

const DEPTH_LIMIT = 64;
const deeplyNested = (levels: number) => `{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`;
const tooDeep = { status: 'error', response: { reason: expect.stringMatching(/^PayloadTooDeep/) } };

let server: RealtimeProcess;
let bystander: Bystander;

beforeAll(async () => {
  // A short idle timeout, so the idle-close path is exercised within the test.
  server = await startRealtimeProcess(inject('databaseUrl'), { idleTimeoutMs: 1500 });
  bystander = await Bystander.join(server.url, 'lobby');
});
afterAll(async () => {
  bystander?.close();
  await server?.stop();
});

async function attackerInLobby(vsn = '2.0.0', accessToken?: string): Promise<RawSocket> {
  const attacker = await RawSocket.open(server.url, ANON_KEY, vsn);
  const payload = { config: { presence: { key: '', enabled: true } }, access_token: accessToken };
  attacker.send(
    vsn === '2.0.0'
      ? JSON.stringify(['1', '1', 'realtime:lobby', 'phx_join', payload])
      : JSON.stringify({ topic: 'realtime:lobby', event: 'phx_join', payload, ref: '1', join_ref: '1' }),
  );
  const joined = await attacker.next((frame) => JSON.stringify(frame).includes('"ok"'));
  expect(joined).toBeTruthy();
  return attacker;
}

function trackFrame(ref: string, metaJson: string): string {
  return `["1","${ref}","realtime:lobby","presence",{"type":"presence","event":"track","payload":${metaJson}}]`;
}

/** The attacker's own valid meta reached the bystander, so its leave later proves the close path ran. */
async function trackMarker(attacker: RawSocket, marker: string): Promise<void> {
  attacker.send(trackFrame('m', JSON.stringify({ marker })));
  expect((await attacker.reply('m'))[4].status).toBe('ok');
  await server.unlessDead(bystander.presenceDiff((diff) => JSON.stringify(diff.joins).includes(marker)));
}

async function expectServerHealthy(): Promise<void> {
  expect(server.exitCode).toBeNull();
  expect(await server.unlessDead(bystander.heartbeatMs())).toBeLessThan(1000);
}

describe('deeply nested presence meta (the issue’s attack)', () => {
  it('refuses a meta nested 20,000 levels deep on arrival, and closing the socket harms nobody', async () => {
    const attacker = await attackerInLobby();
    await trackMarker(attacker, 'attacker-1');

    attacker.send(trackFrame('deep', deeplyNested(20_000)));
    expect((await attacker.reply('deep'))[4]).toEqual(tooDeep);

    attacker.close();
    await server.unlessDead(
      bystander.presenceDiff((diff) => JSON.stringify(diff.leaves).includes('attacker-1')),
    );
    await expectServerHealthy();
  });

  it('refuses it the same way over vsn 1.0.0', async () => {
    const attacker = await attackerInLobby('1.0.0');
    attacker.send(
      `{"topic":"realtime:lobby","event":"presence","payload":{"type":"presence","event":"track","payload":${deeplyNested(20_000)}},"ref":"d","join_ref":"1"}`,
    );
    // A vsn 1 object may list `ref` after the payload, so the refusal cannot name the push.
    const refusal = await attacker.next(
      (frame) => (frame as { payload?: { status?: string } }).payload?.status === 'error',
    );
    expect((refusal as { payload: unknown }).payload).toEqual(tooDeep);
    attacker.terminate();
    await expectServerHealthy();
  });

  it('accepts a meta nested just under the limit and fans it out', async () => {
    const attacker = await attackerInLobby();
    const levels = DEPTH_LIMIT - 10; // frame envelope + presence wrapper + meta object
    attacker.send(
      trackFrame('ok', `{"marker":"shallow-enough","a":${'['.repeat(levels)}${']'.repeat(levels)}}`),
    );
    expect((await attacker.reply('ok'))[4].status).toBe('ok');
    await server.unlessDead(
      bystander.presenceDiff((diff) => JSON.stringify(diff.joins).includes('shallow-enough')),
    );
    attacker.terminate();
    await server.unlessDead(
      bystander.presenceDiff((diff) => JSON.stringify(diff.leaves).includes('shallow-enough')),
    );
    await expectServerHealthy();
  });
});

describe('the same class through other frames', () => {
  it('refuses deep broadcast payloads as JSON and as binary user broadcasts, and delivers neither', async () => {
    const attacker = await attackerInLobby();
    attacker.send(
      `["1","b","realtime:lobby","broadcast",{"type":"broadcast","event":"deep","payload":${deeplyNested(20_000)}}]`,
    );
    expect((await attacker.reply('b'))[4]).toEqual(tooDeep);

    const header = (parts: Buffer[]) => Buffer.from([3, ...parts.slice(0, 5).map((part) => part.length), 1]);
    const parts = ['1', 'bin', 'realtime:lobby', 'deep', ''].map((text) => Buffer.from(text));
    attacker.send(Buffer.concat([header(parts), ...parts, Buffer.from(deeplyNested(20_000))]));
    expect((await attacker.reply('bin'))[4]).toEqual(tooDeep);

    attacker.terminate();
    await expectServerHealthy();
    expect(bystander.received('broadcast')).toBe(0);
  });

  it('refuses a deep join payload, and a deep frame on a topic it never joined', async () => {
    const attacker = await RawSocket.open(server.url, ANON_KEY);
    attacker.send(`["j","j","realtime:lobby","phx_join",{"config":${deeplyNested(5_000)}}]`);
    expect((await attacker.reply('j'))[4]).toEqual(tooDeep);
    attacker.send(`["x","x","realtime:elsewhere","anything",${deeplyNested(50_000)}]`);
    expect((await attacker.reply('x'))[4]).toEqual(tooDeep);
    attacker.terminate();
    await expectServerHealthy();
  });
});

describe('every close path of a socket that tracked presence', () => {
  it('idle timeout: the server closes a silent socket and announces its leave', async () => {
    const attacker = await attackerInLobby();
    await trackMarker(attacker, 'idle-attacker');
    // It now stays silent; the server's idle sweep closes it.
    await attacker.whenClosed();
    await server.unlessDead(
      bystander.presenceDiff((diff) => JSON.stringify(diff.leaves).includes('idle-attacker')),
    );
    await expectServerHealthy();
  });

  it('token expiry: the channel is shut down, its presence left, the server unharmed', async () => {
    const attacker = await attackerInLobby('2.0.0', await shortLivedToken('rt-expiring-attacker', 2));
    await trackMarker(attacker, 'expiring-attacker');
    await attacker.next((frame) => Array.isArray(frame) && frame[3] === 'phx_close');
    await server.unlessDead(
      bystander.presenceDiff((diff) => JSON.stringify(diff.leaves).includes('expiring-attacker')),
    );
    attacker.terminate();
    await expectServerHealthy();
  });

  it('many sockets tracking and dropping at once, mid-handshake and mid-frame', async () => {
    const attackers = await Promise.all(Array.from({ length: 20 }, () => attackerInLobby()));
    attackers.forEach((attacker, index) => {
      attacker.send(trackFrame(`t${index}`, JSON.stringify({ marker: `crowd-${index}` })));
      attacker.send(trackFrame(`d${index}`, deeplyNested(20_000)));
      if (index % 2 === 0) attacker.terminate();
      else attacker.close();
    });
    await server.unlessDead(Promise.all(attackers.map((attacker) => attacker.whenClosed())));
    await expectServerHealthy();
  });
});

describe('state a socket may keep while joined', () => {
  const { maxPresenceMetaBytes, maxPresenceBytesPerConnection, maxTopicBytes, maxPostgresChangesPerJoin } =
    DEFAULT_LIMITS;

  it('refuses a meta over the per-track size: every later join in the room would be sent it', async () => {
    const attacker = await attackerInLobby();
    attacker.send(trackFrame('big', JSON.stringify({ blob: 'x'.repeat(maxPresenceMetaBytes) })));
    expect((await attacker.reply('big'))[4]).toEqual({
      status: 'error',
      response: { reason: `PayloadTooLarge: Track message size exceeded ${maxPresenceMetaBytes} bytes` },
    });
    attacker.terminate();
    await expectServerHealthy();
  });

  it('bounds the presence one connection keeps across its channels; untracking frees it', async () => {
    const attacker = await RawSocket.open(server.url, ANON_KEY);
    const meta = JSON.stringify({ blob: 'y'.repeat(maxPresenceMetaBytes - 100) });
    const rooms = Math.floor(maxPresenceBytesPerConnection / (maxPresenceMetaBytes - 100)) + 1;
    const statuses: string[] = [];
    for (let index = 0; index < rooms; index++) {
      const topic = `realtime:presence-budget-${index}`;
      attacker.send(
        JSON.stringify([
          `j${index}`,
          `j${index}`,
          topic,
          'phx_join',
          { config: { presence: { enabled: true } } },
        ]),
      );
      await attacker.reply(`j${index}`);
      attacker.send(
        `["j${index}","t${index}","${topic}","presence",{"type":"presence","event":"track","payload":${meta}}]`,
      );
      const reply = await attacker.reply(`t${index}`);
      statuses.push(reply[4].status === 'ok' ? 'ok' : String(reply[4].response.reason));
    }
    expect(statuses.slice(0, -1).every((status) => status === 'ok')).toBe(true);
    expect(statuses.at(-1)).toBe('PresenceLimitReached: Too much presence tracked on this connection');

    attacker.send(`["j0","u","realtime:presence-budget-0","presence",{"type":"presence","event":"untrack"}]`);
    await attacker.reply('u');
    const last = rooms - 1;
    attacker.send(
      `["j${last}","again","realtime:presence-budget-${last}","presence",{"type":"presence","event":"track","payload":${meta}}]`,
    );
    expect((await attacker.reply('again'))[4].status).toBe('ok');
    attacker.terminate();
    await expectServerHealthy();
  });

  it('refuses a join whose topic, presence key or binding list is longer than the limits', async () => {
    const attacker = await RawSocket.open(server.url, ANON_KEY);
    const long = 'z'.repeat(maxTopicBytes);
    attacker.send(JSON.stringify(['a', 'a', `realtime:${long}`, 'phx_join', {}]));
    expect((await attacker.reply('a'))[4].response.reason).toBe(
      `UnableToJoin: topic name longer than ${maxTopicBytes} bytes`,
    );
    attacker.send(
      JSON.stringify([
        'b',
        'b',
        'realtime:lobby',
        'phx_join',
        { config: { presence: { key: long + long } } },
      ]),
    );
    expect((await attacker.reply('b'))[4].response.reason).toBe(
      `UnableToJoin: presence key longer than ${maxTopicBytes} bytes`,
    );
    const bindings = Array.from({ length: maxPostgresChangesPerJoin + 1 }, (_, index) => ({
      event: 'INSERT',
      schema: 'rt_test',
      table: 'posts',
      filter: `id=eq.${index}`,
    }));
    attacker.send(
      JSON.stringify(['c', 'c', 'realtime:lobby', 'phx_join', { config: { postgres_changes: bindings } }]),
    );
    expect((await attacker.reply('c'))[4].response.reason).toBe(
      `UnableToJoin: more than ${maxPostgresChangesPerJoin} postgres_changes bindings`,
    );
    attacker.terminate();
    await expectServerHealthy();
  });
});
