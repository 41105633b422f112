// Issue 11, item 4: a socket's memory is bounded on arrival (size, rate, queued frames and bytes, sockets
// per address) and returns when the socket goes. The server runs in its own process so its memory is its own.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_LIMITS } from '@/realtime/realtime-limits';
import { CLOSE_REASONS } from '@/realtime/socket/client-connection';
import { Bystander } from './support/bystander';
import { RawSocket } from './support/raw-socket';
import { ANON_KEY } from './support/realtime-fixture';
import { type RealtimeProcess, startRealtimeProcess } from './support/realtime-process';

const MB = 1024 * 1024;
/** What may stay behind after an attack's sockets are gone (heap + Buffers, after full GCs). */
const RETAINED_BOUND = 24 * MB;
const CONNECTIONS_PER_IP = 12;
const RECEIVED_BYTES_PER_SECOND = 4 * MB;
const FRAMES_PER_SECOND = 500;
const AUTHORIZATIONS_PER_SECOND_PER_IP = 200;

let server: RealtimeProcess;
let bystander: Bystander;
let baseline: number;

const retained = async () => {
  const usage = await server.memory();
  return usage.heapUsed + usage.external;
};

beforeAll(async () => {
  // Rates lowered so a loaded machine's slower client still exceeds them within one second.
  server = await startRealtimeProcess(inject('databaseUrl'), {
    maxConnectionsPerIp: CONNECTIONS_PER_IP,
    maxReceivedBytesPerSecond: RECEIVED_BYTES_PER_SECOND,
    maxFramesPerSecond: FRAMES_PER_SECOND,
    maxAuthorizationsPerSecondPerIp: AUTHORIZATIONS_PER_SECOND_PER_IP,
  });
  bystander = await Bystander.join(server.url, 'lobby');
  baseline = await retained();
});
afterAll(async () => {
  bystander?.close();
  await server?.stop();
});

async function expectUnharmed(): Promise<void> {
  expect(server.exitCode).toBeNull();
  expect(await bystander.heartbeatMs()).toBeLessThan(1000);
  // Memory comes back once the attacker's sockets are gone.
  await expect.poll(retained, { timeout: 10_000, interval: 250 }).toBeLessThan(baseline + RETAINED_BOUND);
}

const privateJoin = (index: number) =>
  JSON.stringify([
    `j${index}`,
    `j${index}`,
    `realtime:vault-${index}`,
    'phx_join',
    { config: { private: true } },
  ]);
const broadcast = (joinRef: string, topic: string, blob: string) =>
  `["${joinRef}",null,"realtime:${topic}","broadcast",{"type":"broadcast","event":"e","payload":{"blob":"${blob}"}}]`;

describe('the issue’s attack: 1,500 private joins, then 40 frames of 5 MB', () => {
  it('closes the socket with 1008 at the join rate limit; nothing piles up', async () => {
    const attacker = await RawSocket.open(server.url, ANON_KEY);
    for (let index = 0; index < 1500; index++) attacker.send(privateJoin(index));
    const fiveMegabytes = Buffer.alloc(5_000_000, 'x');
    for (let index = 0; index < 40; index++) attacker.send(fiveMegabytes);
    await attacker.whenClosed();
    expect(attacker.closeEvent).toEqual({ code: 1008, reason: CLOSE_REASONS.tooManyJoins });
    await expectUnharmed();
  });

  it('joins at an allowed rate, then large frames behind them: closed with 1008 before they pile up', async () => {
    const attacker = await RawSocket.open(server.url, ANON_KEY);
    for (let index = 0; index < 90; index++) attacker.send(privateJoin(index));
    // Each just under the payload limit, so each would be queued behind the joins' database checks.
    const blob = 'x'.repeat(DEFAULT_LIMITS.maxPayloadBytes - 200);
    for (let index = 0; index < 40 && !attacker.closed; index++) {
      attacker.send(broadcast('j0', 'vault-0', blob));
      while (attacker.bufferedAmount > 8 * MB && !attacker.closed) await new Promise((r) => setImmediate(r));
    }
    await attacker.whenClosed();
    expect(attacker.closeEvent?.code).toBe(1008);
    expect([CLOSE_REASONS.queueFull, CLOSE_REASONS.tooManyBytes]).toContain(attacker.closeEvent?.reason);
    await expectUnharmed();
  });
});

describe('limits applied on receipt', () => {
  it('a frame over the frame limit is refused while it arrives (1009), never buffered whole', async () => {
    const attacker = await RawSocket.open(server.url, ANON_KEY);
    attacker.send(Buffer.alloc(DEFAULT_LIMITS.maxFrameBytes + 1, 'x'));
    await attacker.whenClosed();
    expect(attacker.closeEvent?.code).toBe(1009);
    await expectUnharmed();
  });

  it('a payload over the payload limit is answered PayloadTooLarge without being parsed; the socket stays', async () => {
    const attacker = await RawSocket.open(server.url, ANON_KEY);
    attacker.send(
      broadcast('j', 'lobby', 'x'.repeat(DEFAULT_LIMITS.maxPayloadBytes + 1)).replace('null', '"big"'),
    );
    expect((await attacker.reply('big'))[4]).toEqual({
      status: 'error',
      response: { reason: `PayloadTooLarge: payload exceeds ${DEFAULT_LIMITS.maxPayloadBytes} bytes` },
    });
    expect(await attacker.heartbeat('still')).toBe('ok');
    attacker.close();
    await expectUnharmed();
  });

  it('more bytes per second than allowed: closed with 1008', async () => {
    const attacker = await RawSocket.open(server.url, ANON_KEY);
    attacker.send(JSON.stringify(['f', 'f', 'realtime:flood', 'phx_join', {}]));
    await attacker.reply('f');
    const blob = 'y'.repeat(2 * MB);
    for (let index = 0; index < 20 && !attacker.closed; index++) attacker.send(broadcast('f', 'flood', blob));
    await attacker.whenClosed();
    expect(attacker.closeEvent?.code).toBe(1008);
    expect([CLOSE_REASONS.tooManyBytes, CLOSE_REASONS.queueFull]).toContain(attacker.closeEvent?.reason);
    await expectUnharmed();
  });

  it('more frames per second than allowed: closed with 1008 (heartbeats count too)', async () => {
    const attacker = await RawSocket.open(server.url, ANON_KEY);
    for (let index = 0; index < FRAMES_PER_SECOND * 4; index++) {
      attacker.send(`[null,"h${index}","phoenix","heartbeat",{}]`);
    }
    await attacker.whenClosed();
    expect(attacker.closeEvent).toEqual({ code: 1008, reason: CLOSE_REASONS.tooManyFrames });
    await expectUnharmed();
  });

  it(`refuses the ${CONNECTIONS_PER_IP + 1}th socket from one address at the upgrade (429), and accepts again once one goes`, async () => {
    // The bystander holds one of this address's sockets.
    const sockets = await Promise.all(
      Array.from({ length: CONNECTIONS_PER_IP - 1 }, () => RawSocket.open(server.url, ANON_KEY)),
    );
    await expect(RawSocket.open(server.url, ANON_KEY)).rejects.toThrow(/429/);
    const leaving = sockets.pop() as RawSocket;
    leaving.close();
    await leaving.whenClosed();
    const reopened = async () => {
      const socket = await RawSocket.open(server.url, ANON_KEY).catch(() => null);
      socket?.close();
      return socket !== null;
    };
    await expect.poll(reopened, { timeout: 5_000 }).toBe(true);
    for (const socket of sockets) socket.close();
    await expectUnharmed();
  });

  it('joins spread over many sockets of one address are limited together: 1008', async () => {
    const attackers = await Promise.all(
      Array.from({ length: 10 }, () => RawSocket.open(server.url, ANON_KEY)),
    );
    // 30 private joins per socket stay under the per-socket rate; 300 from one address do not.
    for (const attacker of attackers)
      for (let index = 0; index < 30; index++) attacker.send(privateJoin(index));
    await expect
      .poll(() => attackers.map((attacker) => attacker.closeEvent?.reason), { timeout: 10_000 })
      .toContain(CLOSE_REASONS.tooManyFromAddress);
    for (const attacker of attackers) attacker.terminate();
    await Promise.all(attackers.map((attacker) => attacker.whenClosed()));
    await expectUnharmed();
  });

  it('access_token refreshes (each may re-authorize) count against the same address budget', async () => {
    const attacker = await RawSocket.open(server.url, ANON_KEY);
    attacker.send(JSON.stringify(['p', 'p', 'realtime:refresh', 'phx_join', {}]));
    await attacker.reply('p');
    for (let index = 0; index < AUTHORIZATIONS_PER_SECOND_PER_IP + 50; index++) {
      attacker.send(
        JSON.stringify([
          'p',
          `r${index}`,
          'realtime:refresh',
          'access_token',
          { access_token: `t${index % 2}` },
        ]),
      );
    }
    await attacker.whenClosed();
    expect(attacker.closeEvent).toEqual({ code: 1008, reason: CLOSE_REASONS.tooManyFromAddress });
    await expectUnharmed();
  });

  it('memory returns to baseline after many sockets that each filled their queue are dropped', async () => {
    const attackers = await Promise.all(
      Array.from({ length: 8 }, () => RawSocket.open(server.url, ANON_KEY)),
    );
    const blob = 'z'.repeat(MB);
    for (const attacker of attackers) {
      for (let index = 0; index < 5; index++) attacker.send(privateJoin(index));
      for (let index = 0; index < 6; index++) attacker.send(broadcast('j0', 'vault-0', blob));
    }
    for (const attacker of attackers) attacker.terminate();
    await Promise.all(attackers.map((attacker) => attacker.whenClosed()));
    await expectUnharmed();
  });
});
