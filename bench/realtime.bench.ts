/**
 * Realtime server benchmarks (issue 4). Prints `BENCH {"name","value","unit"}` lines.
 * Run: tsx bench/realtime.bench.ts   (or through bench/run.ts, which calls main()).
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { SignJWT } from 'jose';
import pg from 'pg';
import WebSocket from 'ws';
import { DEMO_ANON_KEY, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY } from '../src/env';
import { BENCH_REALTIME_LIMITS } from './bench-realtime-limits';
import { startBenchStack } from './bench-stack';

const SUBSCRIBERS = 100;
const USERS = 10;

function report(name: string, value: number, unit: string): void {
  console.log(`BENCH ${JSON.stringify({ name, value: Math.round(value * 100) / 100, unit })}`);
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function userToken(sub: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: 'authenticated', sub, aud: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(DEMO_JWT_SECRET));
}

async function connectedClient(url: string, token?: string): Promise<SupabaseClient> {
  const client = createClient(url, DEMO_ANON_KEY, token ? { accessToken: async () => token } : {});
  if (token) await client.realtime.setAuth();
  return client;
}

function subscribe(channel: ReturnType<SupabaseClient['channel']>): Promise<void> {
  return new Promise((resolve, reject) =>
    channel.subscribe((status, error) => {
      if (status === 'SUBSCRIBED') resolve();
      else if (status !== 'CLOSED') reject(new Error(`${status} ${error?.message ?? ''}`));
    }),
  );
}

/** POST over one keep-alive connection, as the chat engine publishes deltas. */
function restSender(baseUrl: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return (topic: string, event: string, payload: unknown): Promise<number> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(payload);
      const request = http.request(
        `${baseUrl}/realtime/v1/api/broadcast/${encodeURIComponent(topic)}/events/${encodeURIComponent(event)}`,
        {
          method: 'POST',
          agent,
          headers: {
            apikey: DEMO_SERVICE_ROLE_KEY,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
}

/** Waits until `count` receipts of message `seq` have been recorded. */
class Receipts {
  private readonly latencies: number[] = [];
  private pending = new Map<number, { left: number; resolve: () => void }>();

  expect(seq: number, count: number): Promise<void> {
    return new Promise((resolve) => this.pending.set(seq, { left: count, resolve }));
  }

  record(seq: number, sentAt: number): void {
    this.latencies.push(performance.now() - sentAt);
    const entry = this.pending.get(seq);
    if (entry && --entry.left === 0) {
      this.pending.delete(seq);
      entry.resolve();
    }
  }

  get samples(): number[] {
    return this.latencies;
  }
}

/** Wall-clock milliseconds with sub-ms precision, comparable across the bench's processes. */
function now(): number {
  return performance.timeOrigin + performance.now();
}

async function broadcastBenchmarks(realtimeUrl: string): Promise<void> {
  const token = await userToken('bench-broadcast');
  // The 100 subscribers (supabase-js) run in a child process: their decoding must not share the server's core.
  const room = childProcess(['--broadcast-room', realtimeUrl, token, String(SUBSCRIBERS)]);
  await room.line('ready');
  const latenciesOf = async (phase: string): Promise<number[]> => {
    await send('bench-room', 'finish', { phase });
    return JSON.parse((await room.line(`latencies-${phase} `)).slice(`latencies-${phase} `.length));
  };

  const send = restSender(realtimeUrl);
  for (let seq = 0; seq < 300; seq++) {
    const status = await send('bench-room', 'delta', { seq, sentAt: now(), text: 'x'.repeat(64) });
    if (status !== 202) throw new Error(`REST broadcast answered ${status}`);
    await room.line(`got ${seq} `);
  }
  const rest = await latenciesOf('rest');
  report('realtime.broadcast.rest_to_100_subscribers.p50', percentile(rest, 50), 'ms');
  report('realtime.broadcast.rest_to_100_subscribers.p95', percentile(rest, 95), 'ms');
  report('realtime.broadcast.rest_to_100_subscribers.p99', percentile(rest, 99), 'ms');

  const senderClient = await connectedClient(realtimeUrl, token);
  const sender = senderClient.channel('bench-room');
  await subscribe(sender);
  for (let seq = 1000; seq < 1300; seq++) {
    await sender.send({
      type: 'broadcast',
      event: 'delta',
      payload: { seq, sentAt: now(), text: 'x'.repeat(64) },
    });
    await room.line(`got ${seq} `);
  }
  const socket = await latenciesOf('socket');
  report('realtime.broadcast.client_to_100_clients.p50', percentile(socket, 50), 'ms');
  report('realtime.broadcast.client_to_100_clients.p95', percentile(socket, 95), 'ms');
  room.kill();
  await senderClient.removeAllChannels();
  senderClient.realtime.disconnect();

  const receipts = new Receipts();
  // One subscriber, the chat engine's case: deltas to the tab(s) of one user.
  const single = await connectedClient(realtimeUrl, token);
  const channel = single
    .channel('bench-single')
    .on('broadcast', { event: '*' }, ({ payload }) => receipts.record(payload.seq, payload.sentAt));
  await subscribe(channel);
  for (let seq = 0; seq < 1000; seq++) {
    const delivered = receipts.expect(seq, 1);
    await send('bench-single', 'delta', { seq, sentAt: performance.now(), text: 'x'.repeat(64) });
    await delivered;
  }
  const one = receipts.samples.splice(0);
  report('realtime.broadcast.rest_to_1_subscriber.p50', percentile(one, 50), 'ms');
  report('realtime.broadcast.rest_to_1_subscriber.p99', percentile(one, 99), 'ms');
  await single.removeAllChannels();
  single.realtime.disconnect();
}

async function createUsers(db: pg.Pool, count: number): Promise<{ id: string; sessionId: string }[]> {
  const users: { id: string; sessionId: string }[] = [];
  for (let index = 0; index < count; index++) {
    const id = `bench-user-${index}-${Date.now()}`;
    await db.query(
      `insert into better_auth."user" (id, name, email, "emailVerified", "createdAt", "updatedAt") values ($1, 'bench', $2, true, now(), now())`,
      [id, `${id}@bench.test`],
    );
    const { rows } = await db.query<{ id: string }>(
      'insert into chat_sessions (user_id) values ($1) returning id',
      [id],
    );
    users.push({ id, sessionId: (rows[0] as { id: string }).id });
  }
  return users;
}

async function postgresChangesBenchmarks(realtimeUrl: string, databaseUrl: string): Promise<void> {
  // The bench stack skips fsync and runs with synchronous_commit off, where WAL reaches the walsender only on
  // the WAL writer's 200 ms tick; a committing writer that flushes (as a durable server does) is what we measure.
  const db = new pg.Pool({ connectionString: databaseUrl, max: 4, options: '-c synchronous_commit=on' });
  const users = await createUsers(db, USERS);

  // COMMIT → client latency: one subscriber, one row at a time.
  const [first] = users as [{ id: string; sessionId: string }];
  const latencyClient = await connectedClient(realtimeUrl, await userToken(first.id));
  const latencies: number[] = [];
  let arrived: (() => void) | null = null;
  const channel = latencyClient.channel('bench-latency').on(
    'postgres_changes',
    {
      event: 'INSERT',
      schema: 'public',
      table: 'chat_messages',
      filter: `session_id=eq.${first.sessionId}`,
    },
    () => arrived?.(),
  );
  await subscribe(channel);
  for (let index = 0; index < 300; index++) {
    const received = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const start = performance.now();
    await db.query(
      `insert into chat_messages (session_id, user_id, role, content) values ($1, $2, 'user', 'bench')`,
      [first.sessionId, first.id],
    );
    await received;
    latencies.push(performance.now() - start);
  }
  report('realtime.postgres_changes.commit_to_client.p50', percentile(latencies, 50), 'ms');
  report('realtime.postgres_changes.commit_to_client.p95', percentile(latencies, 95), 'ms');
  await latencyClient.removeAllChannels();
  latencyClient.realtime.disconnect();

  // Throughput: 100 subscribers across 10 users, no filter (RLS alone decides), rows written in bursts. The
  // subscribers (supabase-js) run in a child process, so their JSON parsing does not share the server's core.
  const rowsPerUser = 500;
  const expected = USERS * rowsPerUser * (SUBSCRIBERS / USERS);
  const tokens = await Promise.all(users.map((user) => userToken(user.id)));
  const subscribers = childProcess([
    '--subscribe-all',
    realtimeUrl,
    String(expected),
    JSON.stringify(tokens),
  ]);
  await subscribers.line('ready');
  const start = performance.now();
  await Promise.all(
    users.map(async (user) => {
      for (let batch = 0; batch < rowsPerUser / 50; batch++) {
        await db.query(
          `insert into chat_messages (session_id, user_id, role, content) select $1, $2, 'assistant', 'row ' || n from generate_series(1, 50) n`,
          [user.sessionId, user.id],
        );
      }
    }),
  );
  await subscribers.line('done');
  const seconds = (performance.now() - start) / 1000;
  report(
    'realtime.postgres_changes.deliveries_per_second_100_subscribers_10_users',
    expected / seconds,
    'msg/s',
  );
  report(
    'realtime.postgres_changes.rows_per_second_100_subscribers_10_users',
    (USERS * rowsPerUser) / seconds,
    'rows/s',
  );
  subscribers.kill();
  await db.end();
}

/** This file run again with a mode flag; `line(text)` waits for the child to print a line starting with it. */
function childProcess(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    for (const line of complete) {
      lines.push(line);
      for (const waiter of waiters.filter((candidate) => line.startsWith(candidate.prefix))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  return {
    line(prefix: string): Promise<string> {
      const seen = lines.find((line) => line.startsWith(prefix));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ prefix, resolve });
        child.once('exit', (code) => reject(new Error(`bench child exited with ${code} before "${prefix}"`)));
      });
    },
    kill: () => child.kill(),
  };
}

/** Child mode: `count` supabase-js subscribers of one room, reporting when each message reached them all. */
async function broadcastRoom(realtimeUrl: string, token: string, count: number): Promise<void> {
  const latencies: number[] = [];
  const received = new Map<number, number>();
  for (let index = 0; index < count; index++) {
    const client = await connectedClient(realtimeUrl, token);
    await subscribe(
      client.channel('bench-room').on('broadcast', { event: '*' }, ({ event, payload }) => {
        if (event === 'finish') {
          if (index === 0)
            process.stdout.write(`latencies-${payload.phase} ${JSON.stringify(latencies.splice(0))}\n`);
          return;
        }
        latencies.push(now() - payload.sentAt);
        const total = (received.get(payload.seq) ?? 0) + 1;
        received.set(payload.seq, total);
        if (total === count) process.stdout.write(`got ${payload.seq} \n`);
      }),
    );
  }
  process.stdout.write('ready\n');
}

/** Child mode: 100 supabase-js subscribers spread over the users' tokens, counting deliveries. */
async function subscribeAll(realtimeUrl: string, expected: number, tokens: string[]): Promise<void> {
  let deliveries = 0;
  for (let index = 0; index < SUBSCRIBERS; index++) {
    const client = await connectedClient(realtimeUrl, tokens[index % tokens.length]);
    await subscribe(
      client
        .channel(`bench-throughput-${index}`)
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'chat_messages' }, () => {
          if (++deliveries === expected) process.stdout.write('done\n');
        }),
    );
  }
  process.stdout.write('ready\n');
}

const IDLE_CONNECTIONS = 1000;

/** Memory of the server process per idle socket with one joined channel; the sockets live in a child process. */
async function idleConnectionMemory(realtimeUrl: string): Promise<void> {
  const collectGarbage = garbageCollector();
  collectGarbage();
  const before = memoryInUse();
  const child = childProcess(['--open-idle', realtimeUrl, String(IDLE_CONNECTIONS)]);
  await child.line('open');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  collectGarbage();
  const after = memoryInUse();
  report('realtime.idle_connection.memory_per_connection', (after - before) / 1024 / IDLE_CONNECTIONS, 'KB');
  child.kill();
}

/** Heap plus off-heap buffers (socket buffers live there): what an idle connection really holds. */
function memoryInUse(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external + usage.arrayBuffers;
}

/** V8's gc(), switched on at run time so `tsx bench/realtime.bench.ts` needs no --expose-gc. */
function garbageCollector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

async function openIdleConnections(realtimeUrl: string, count: number): Promise<void> {
  const url = `${realtimeUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${DEMO_ANON_KEY}&vsn=2.0.0`;
  const sockets: WebSocket[] = [];
  for (let index = 0; index < count; index++) {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    socket.send(JSON.stringify(['1', '1', `realtime:idle-${index % 50}`, 'phx_join', { config: {} }]));
    sockets.push(socket);
  }
  // Heartbeats keep them open past the idle timeout while the parent measures.
  setInterval(() => {
    for (const socket of sockets) socket.send(JSON.stringify([null, 'hb', 'phoenix', 'heartbeat', {}]));
  }, 20_000);
  process.stdout.write('open\n');
}

export async function main(): Promise<void> {
  const stack = await startBenchStack(BENCH_REALTIME_LIMITS);
  try {
    await broadcastBenchmarks(stack.realtimeUrl);
    await postgresChangesBenchmarks(stack.realtimeUrl, stack.databaseUrl);
    await idleConnectionMemory(stack.realtimeUrl);
  } finally {
    await stack.stop();
  }
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly && process.argv[2] === '--broadcast-room') {
  await broadcastRoom(String(process.argv[3]), String(process.argv[4]), Number(process.argv[5]));
} else if (invokedDirectly && process.argv[2] === '--subscribe-all') {
  await subscribeAll(String(process.argv[3]), Number(process.argv[4]), JSON.parse(String(process.argv[5])));
} else if (invokedDirectly && process.argv[2] === '--open-idle') {
  await openIdleConnections(String(process.argv[3]), Number(process.argv[4]));
} else if (invokedDirectly) {
  await main();
  process.exit(0);
}
