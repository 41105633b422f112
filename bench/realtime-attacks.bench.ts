/**
 * Issue 11: under each attack on the realtime server, a bystander's heartbeat p50/p99 and the server
 * process's RSS before / during (peak) / after. Three processes: this one (orchestrator + bystander), the
 * realtime server (so its RSS is its own), and the attacker (so generating the attack does not slow the
 * bystander's measurement). Prints `BENCH {…}` lines.
 * Run: npm run bench -- realtime-attacks
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { DEMO_ANON_KEY, DEMO_JWT_SECRET } from '../src/env';
import { startRealtimeServer } from '../src/realtime';
import { replyTopic } from '../src/shared/realtime-topics';
import { percentile, reportFigure } from './bench-report';
import { startBenchStack } from './bench-stack';

const PHASE_MS = 3_000;
const HEARTBEAT_INTERVAL_MS = 20;
// BENCH_ATTACKS=frame-flood,byte-flood runs only those.
const ATTACKS = process.env.BENCH_ATTACKS?.split(',') ?? [
  'deep-presence',
  'join-flood-5mb',
  'frame-flood',
  'byte-flood',
  'private-join-churn',
  'rest-amplification',
  'garbage-storm',
];

export async function main(): Promise<void> {
  // The shipped limits: the attacks are measured against what an internet-facing server enforces.
  const stack = await startBenchStack();
  const server = childProcess(['--serve', stack.databaseUrl]);
  const url = (await server.line('READY ')).slice('READY '.length);
  try {
    const bystander = await Bystander.open(url);
    for (const attack of ATTACKS) {
      const before = await measure(bystander, server.pid, PHASE_MS);
      const attacker = childProcess(['--attack', attack, url, String(PHASE_MS)]);
      let attacking = true;
      void attacker.exited.then(() => {
        attacking = false;
      });
      // "During" lasts as long as the attacker runs (at least PHASE_MS), so the bystander never goes silent.
      const during = await measure(bystander, server.pid, PHASE_MS, () => attacking);
      const after = await measure(bystander, server.pid, PHASE_MS);
      if (server.exitCode !== null) throw new Error(`the realtime server died under ${attack}`);
      for (const [phase, figures] of [
        ['before', before],
        ['during', during],
        ['after', after],
      ] as const) {
        const name = `realtime_attacks.${attack}.${phase}`;
        reportFigure(`${name}.bystander_heartbeat_p50`, percentile(figures.heartbeats, 50), 'ms');
        reportFigure(`${name}.bystander_heartbeat_p99`, percentile(figures.heartbeats, 99), 'ms');
        reportFigure(`${name}.bystander_heartbeats_answered`, figures.heartbeats.length, 'count');
        reportFigure(`${name}.server_rss_peak`, figures.peakRss / 1024 / 1024, 'MB');
        reportFigure(`${name}.server_rss_end`, figures.endRss / 1024 / 1024, 'MB');
      }
      console.log(`# ${attack}: attacker ${(await attacker.output()).trim()}`);
    }
    bystander.close();
  } finally {
    server.kill();
    await stack.stop();
  }
}

/** Heartbeats back to back (20 ms apart) for `ms`, and the server's peak RSS meanwhile. */
async function measure(bystander: Bystander, pid: number, ms: number, more: () => boolean = () => false) {
  const heartbeats: number[] = [];
  let peakRss = rssOf(pid);
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssOf(pid));
  }, 50);
  const end = performance.now() + ms;
  while (performance.now() < end || more()) {
    // A heartbeat that takes over 5 s counts as 5 s (and the bystander would have reconnected by then).
    heartbeats.push(await Promise.race([bystander.heartbeat(), sleep(5_000).then(() => 5_000)]));
    await sleep(HEARTBEAT_INTERVAL_MS);
  }
  clearInterval(sampler);
  const endRss = rssOf(pid);
  return { heartbeats, peakRss: Math.max(peakRss, endRss), endRss };
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function socketUrl(base: string, vsn = '2.0.0'): string {
  return `${base.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${DEMO_ANON_KEY}&vsn=${vsn}`;
}

function open(base: string, vsn = '2.0.0'): Promise<WebSocket> {
  const socket = new WebSocket(socketUrl(base, vsn));
  socket.on('error', () => {});
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', () => reject(new Error('upgrade refused')));
    socket.once('close', () => reject(new Error('closed before open')));
  });
}

/** A raw client in the attacked room with presence on, answering "how long did the heartbeat take". */
class Bystander {
  private sequence = 0;
  private readonly pending = new Map<string, () => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('close', (code, reason) => console.log(`# bystander closed: ${code} ${reason}`));
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = JSON.parse(data.toString()) as unknown[];
      if (frame[3] === 'phx_reply') this.pending.get(String(frame[1]))?.();
    });
  }

  static async open(base: string): Promise<Bystander> {
    const bystander = new Bystander(await open(base));
    const joined = bystander.await('join');
    bystander.socket.send(
      JSON.stringify([
        'join',
        'join',
        'realtime:lobby',
        'phx_join',
        { config: { presence: { enabled: true } } },
      ]),
    );
    await joined;
    return bystander;
  }

  async heartbeat(): Promise<number> {
    const ref = `hb${++this.sequence}`;
    const answered = this.await(ref);
    const started = performance.now();
    this.socket.send(JSON.stringify([null, ref, 'phoenix', 'heartbeat', {}]));
    await answered;
    return performance.now() - started;
  }

  close(): void {
    this.socket.close();
  }

  private await(ref: string): Promise<void> {
    return new Promise((resolve) =>
      this.pending.set(ref, () => {
        this.pending.delete(ref);
        resolve();
      }),
    );
  }
}

/** This file again with a mode flag. */
function childProcess(args: string[]) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let text = '';
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    for (const waiter of [...waiters]) {
      const line = text.split('\n').find((candidate) => candidate.startsWith(waiter.prefix));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid as number,
    exited,
    get exitCode() {
      return child.exitCode;
    },
    line: (prefix: string) =>
      new Promise<string>((resolve, reject) => {
        waiters.push({ prefix, resolve });
        void exited.then(() => reject(new Error(`bench child exited before "${prefix}"`)));
      }),
    output: async () => {
      await exited;
      return text;
    },
    kill: () => child.kill(),
  };
}

// ─── child modes ────────────────────────────────────────────────────────────────────────────────────────────

async function serve(databaseUrl: string): Promise<void> {
  const server = await startRealtimeServer({ port: 0, databaseUrl, jwtSecret: DEMO_JWT_SECRET });
  console.log(`READY ${server.url}`);
}

/** The server's close reason, or (after 2 s without one) a note, and the socket dropped. */
async function closedOrGiveUp(socket: WebSocket, closed: Promise<string>): Promise<string> {
  const outcome = await Promise.race([closed, sleep(2_000).then(() => 'still open after 2 s')]);
  socket.terminate();
  return outcome;
}

const deep = (levels: number) => `{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`;

/** Each attack runs for about `ms` and prints what the server did to the attacker. */
const attacks: Record<string, (url: string, ms: number) => Promise<string>> = {
  // Issue 11 #1: join the lobby with presence, track a meta nested 20,000 levels, close; 20 sockets in a loop.
  async 'deep-presence'(url, ms) {
    const end = Date.now() + ms;
    let rounds = 0;
    while (Date.now() < end) {
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const socket = await open(url).catch(() => null);
          if (!socket) return; // refused at the upgrade: this address holds too many sockets
          socket.send(
            JSON.stringify([
              '1',
              '1',
              'realtime:lobby',
              'phx_join',
              { config: { presence: { enabled: true } } },
            ]),
          );
          socket.send(
            `["1","2","realtime:lobby","presence",{"type":"presence","event":"track","payload":${deep(20_000)}}]`,
          );
          await sleep(20);
          socket.close();
        }),
      );
      rounds++;
    }
    return `${rounds * 20} sockets tracked a 20,000-level meta and closed`;
  },
  // Issue 11 #4: 1,500 private joins, then 40 frames of 5 MB, on several sockets one after another.
  async 'join-flood-5mb'(url, ms) {
    const end = Date.now() + ms;
    const closes: string[] = [];
    const frame = Buffer.alloc(5_000_000, 'x');
    while (Date.now() < end) {
      const socket = await open(url);
      const closed = new Promise<string>((resolve) =>
        socket.once('close', (code, reason) => resolve(`${code} ${reason}`)),
      );
      for (let index = 0; index < 1500; index++) {
        socket.send(
          JSON.stringify([
            `${index}`,
            `${index}`,
            `realtime:vault-${index}`,
            'phx_join',
            { config: { private: true } },
          ]),
        );
      }
      for (let index = 0; index < 40 && socket.readyState === WebSocket.OPEN; index++) socket.send(frame);
      closes.push(await closedOrGiveUp(socket, closed));
    }
    return `${closes.length} sockets, closed with: ${[...new Set(closes)].join(' | ')}`;
  },
  // Private joins (one RLS transaction each) spread over 20 sockets, each under its own join rate.
  async 'private-join-churn'(url, ms) {
    const end = Date.now() + ms;
    const closes: string[] = [];
    while (Date.now() < end) {
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const socket = await open(url).catch(() => null);
          if (!socket) return;
          const closed = new Promise<string>((resolve) =>
            socket.once('close', (code, reason) => resolve(`${code} ${reason}`)),
          );
          for (let index = 0; index < 90; index++) {
            socket.send(
              JSON.stringify([
                `${index}`,
                `${index}`,
                'realtime:vault',
                'phx_join',
                { config: { private: true } },
              ]),
            );
          }
          await Promise.race([closed.then((reason) => closes.push(reason)), sleep(1_000)]);
          socket.terminate();
        }),
      );
    }
    return `${closes.length} sockets closed by the server: ${[...new Set(closes)].join(' | ')}`;
  },
  // Tiny frames as fast as the socket takes them, on 10 sockets.
  async 'frame-flood'(url, ms) {
    const end = Date.now() + ms;
    const closes: string[] = [];
    while (Date.now() < end) {
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const socket = await open(url);
          const closed = new Promise<string>((resolve) =>
            socket.once('close', (code, reason) => resolve(`${code} ${reason}`)),
          );
          for (let index = 0; index < 5_000 && socket.readyState === WebSocket.OPEN; index++) {
            socket.send(`[null,"${index}","phoenix","heartbeat",{}]`);
          }
          closes.push(await closedOrGiveUp(socket, closed));
        }),
      );
    }
    return `${closes.length} sockets, closed with: ${[...new Set(closes)].join(' | ')}`;
  },
  // 2 MB broadcasts as fast as possible on 4 sockets.
  async 'byte-flood'(url, ms) {
    const end = Date.now() + ms;
    const closes: string[] = [];
    const blob = 'y'.repeat(2 * 1024 * 1024);
    while (Date.now() < end) {
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          const socket = await open(url);
          const closed = new Promise<string>((resolve) =>
            socket.once('close', (code, reason) => resolve(`${code} ${reason}`)),
          );
          socket.send(JSON.stringify(['f', 'f', 'realtime:flood', 'phx_join', {}]));
          for (let index = 0; index < 30 && socket.readyState === WebSocket.OPEN; index++) {
            socket.send(
              `["f",null,"realtime:flood","broadcast",{"type":"broadcast","event":"e","payload":{"b":"${blob}"}}]`,
            );
          }
          closes.push(await closedOrGiveUp(socket, closed));
        }),
      );
    }
    return `${closes.length} sockets, closed with: ${[...new Set(closes)].join(' | ')}`;
  },
  // Issue 11 #5: anon POSTs of 10,000 private messages to distinct topics, and 30 MB bodies.
  async 'rest-amplification'(url, ms) {
    const end = Date.now() + ms;
    const statuses: number[] = [];
    const batch = JSON.stringify({
      messages: Array.from({ length: 10_000 }, (_, index) => ({
        topic: replyTopic(String(index)),
        event: 'e',
        payload: {},
        private: true,
      })),
    });
    const huge = ' '.repeat(30_000_000);
    while (Date.now() < end) {
      const post = (body: string) =>
        fetch(`${url}/realtime/v1/api/broadcast`, {
          method: 'POST',
          headers: { apikey: DEMO_ANON_KEY, 'content-type': 'application/json' },
          body,
        })
          .then((response) => response.status)
          .catch(() => 0);
      statuses.push(...(await Promise.all([post(batch), post(batch), post(huge)])));
    }
    const counts = statuses.reduce<Record<number, number>>((all, status) => {
      all[status] = (all[status] ?? 0) + 1;
      return all;
    }, {});
    return `responses ${JSON.stringify(counts)} (0 = connection closed while still sending)`;
  },
  // Random bytes, random text, deep and huge frames on 30 sockets, opened and dropped continuously.
  async 'garbage-storm'(url, ms) {
    const end = Date.now() + ms;
    let sockets = 0;
    while (Date.now() < end) {
      await Promise.all(
        Array.from({ length: 30 }, async (_, index) => {
          const socket = await open(url, index % 2 ? '1.0.0' : '2.0.0').catch(() => null);
          if (!socket) return;
          sockets++;
          for (let frame = 0; frame < 40 && socket.readyState === WebSocket.OPEN; frame++) {
            const pick = (index + frame) % 5;
            if (pick === 0) socket.send(randomBytes(200));
            else if (pick === 1) socket.send(randomBytes(100).toString('latin1'));
            else if (pick === 2) socket.send(`["1","1","realtime:lobby","phx_join",${deep(5_000)}]`);
            else if (pick === 3)
              socket.send(`["1","2","realtime:lobby","broadcast",{"s":"${'z'.repeat(500_000)}"}]`);
            else
              socket.send(
                JSON.stringify([
                  '1',
                  '1',
                  'realtime:lobby',
                  'phx_join',
                  { config: { presence: { enabled: true } } },
                ]),
              );
          }
          if (index % 2) socket.terminate();
          else socket.close();
        }),
      );
    }
    return `${sockets} sockets of garbage`;
  },
};

const [mode, ...args] = process.argv.slice(2);
if (mode === '--serve') await serve(args[0] as string);
else if (mode === '--attack') {
  const [name, url, ms] = args as [string, string, string];
  const attack = attacks[name];
  if (!attack) throw new Error(`unknown attack ${name}`);
  console.log(await attack(url, Number(ms)));
  process.exit(0);
}
