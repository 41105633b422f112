/**
 * Chat engine benchmarks (issue 5), fake provider on loopback, real stack (Postgres, BetterAuth, realtime
 * server, supabase-js subscribers). Prints `BENCH {"name","value","unit"}` lines:
 * send → first delta, first-token overhead over the provider, Realtime messages per stream-second at 200
 * tokens/s, bytes on the wire against the text, DB row writes for a 30 s reply, 200 concurrent streams.
 *
 * The app reads its environment once per process, so main() runs the measurements in a child process with an
 * environment of their own (bench/run.ts runs every bench in one process).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import { DEMO_ANON_KEY } from '../src/env';
import { freePort } from '../src/stack/free-port';
import { startStack } from '../src/stack/start-stack';
import { type FakeLlmProvider, startFakeLlmProvider } from '../tests/helpers/fake-llm-provider';
import { percentile, reportFigure } from './bench-report';

const CHILD_FLAG = '--chat-engine-bench-child';

export async function main(): Promise<void> {
  const root = path.resolve(import.meta.dirname, '..');
  const dataRoot = await mkdtemp(path.join(os.tmpdir(), 'chattwelve-chat-bench-'));
  // Postgres and the realtime server here; engine, provider and subscribers in the child: as in production,
  // the realtime server does not share the engine's event loop.
  const stack = await startStack({
    dataDir: path.join(dataRoot, 'postgres'),
    pgPort: await freePort(),
    realtimePort: 0,
    durable: false,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        path.join(root, 'node_modules/.bin/tsx'),
        ['--conditions=react-server', path.join(root, 'bench/chat-engine.bench.ts'), CHILD_FLAG],
        {
          cwd: root,
          stdio: 'inherit',
          env: {
            ...process.env,
            DATABASE_URL: stack.databaseUrl,
            NEXT_PUBLIC_SUPABASE_URL: stack.realtimeUrl,
          },
        },
      );
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`chat engine bench exited ${code}`)),
      );
    });
  } finally {
    await stack.stop();
    await rm(dataRoot, { recursive: true, force: true });
  }
}

interface Delta {
  messageId: string;
  seq: number;
  text: string;
}

/** One browser: a supabase-js client with the user's realtime token, counting delta frame bytes. */
class Subscriber {
  readonly received = new Map<string, { delta: Delta; at: number }[]>();
  wireBytes = 0;
  private waiters: { messageId: string; seq: number; resolve: () => void }[] = [];

  private constructor(readonly client: SupabaseClient) {}

  static async open(url: string, token: string): Promise<Subscriber> {
    const client = createClient(url, DEMO_ANON_KEY, { accessToken: async () => token });
    await client.realtime.setAuth();
    return new Subscriber(client);
  }

  async follow(sessionId: string): Promise<RealtimeChannel> {
    const channel = this.client
      .channel(`chat:${sessionId}`, { config: { private: true } })
      .on('broadcast', { event: 'delta' }, ({ payload }) => this.onDelta(payload as Delta));
    await new Promise<void>((resolve, reject) =>
      channel.subscribe((status, error) => {
        if (status === 'SUBSCRIBED') resolve();
        else if (status !== 'CLOSED') reject(new Error(`${status} ${error?.message ?? ''}`));
      }),
    );
    const conn = (
      this.client.realtime as unknown as { socketAdapter: { socket: { conn: WebSocket | null } } }
    ).socketAdapter.socket.conn;
    if (conn && !(conn as unknown as { counted?: boolean }).counted) {
      (conn as unknown as { counted?: boolean }).counted = true;
      conn.addEventListener('message', (event: MessageEvent) => {
        const data = event.data as string | ArrayBuffer;
        const text = typeof data === 'string' ? data : '';
        if (text.includes('"delta"') || typeof data !== 'string') {
          this.wireBytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
        }
      });
    }
    return channel;
  }

  waitFor(messageId: string, seq: number): Promise<void> {
    if (this.received.get(messageId)?.some((r) => r.delta.seq >= seq)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ messageId, seq, resolve }));
  }

  private onDelta(delta: Delta): void {
    const at = performance.now();
    const list = this.received.get(delta.messageId) ?? [];
    list.push({ delta, at });
    this.received.set(delta.messageId, list);
    for (const waiter of [...this.waiters]) {
      if (waiter.messageId === delta.messageId && delta.seq >= waiter.seq) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}

async function runChild(): Promise<void> {
  const provider = await startFakeLlmProvider();
  const realtimeUrl = process.env.NEXT_PUBLIC_SUPABASE_URL ?? '';
  Object.assign(process.env, {
    APP_URL: 'http://localhost:3000',
    AI_BASE_URL: provider.baseUrl,
    AI_MODELS: 'bench-model',
    CHAT_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  // Loaded after the environment is set: the app reads it once.
  const { auth } = await import('../src/server/auth');
  const { createCaller } = await import('../src/server/router');
  const { createContext } = await import('../src/server/trpc');
  const { chatEngine } = await import('../src/server/chat-engine/chat-engine');
  const { mintRealtimeToken } = await import('../src/server/realtime-token/realtime-token.service');
  const { env } = await import('../src/env');

  async function signUp(index: number) {
    const { headers, response } = await auth().api.signUpEmail({
      body: {
        email: `chat-bench-${index}-${Date.now()}@example.test`,
        password: 'bench-password-1',
        name: 'Bench',
      },
      returnHeaders: true,
    });
    const cookie = headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const caller = createCaller(
      await createContext({
        headers: new Headers({ cookie, origin: 'http://localhost:3000' }),
        resHeaders: new Headers(),
      }),
    );
    const { token } = await mintRealtimeToken(response.user.id, env().SUPABASE_JWT_SECRET);
    return { caller, subscriber: await Subscriber.open(realtimeUrl, token) };
  }

  // Other work on the machine moves these figures; the load average says how much there was.
  reportFigure('chat.bench_load_average_1min_at_start', os.loadavg()[0] ?? 0, 'runnable', {
    cores: os.cpus().length,
  });
  const engine = chatEngine();
  await engine.start();
  const { caller, subscriber } = await signUp(0);
  // CHAT_BENCH_ONLY=concurrency (etc.) runs one part while tuning.
  const only = process.env.CHAT_BENCH_ONLY;
  if (!only || only === 'latency') await latencyFigures(provider, caller, subscriber);
  if (!only || only === 'wire') await wireFigures(provider, caller, subscriber, engine.publisherStats);
  if (!only || only === 'db') await dbWriteFigures(provider, caller, subscriber, engine.writes);
  if (!only || only === 'concurrency') await concurrencyFigures(provider, signUp);
  await engine.shutdown();
  await provider.close();
}

type Caller = Awaited<ReturnType<typeof import('../src/server/router')['createCaller']>>;

let cueCounter = 0;
function scriptReply(provider: FakeLlmProvider, tokens: string[], tokenDelayMs: number): string {
  const cue = `bench-cue-${cueCounter++}-${Date.now()}`;
  provider.script(cue, { tokens, tokenDelayMs });
  return cue;
}

async function sendAndFinish(
  provider: FakeLlmProvider,
  caller: Caller,
  subscriber: Subscriber,
  tokens: string[],
  delayMs: number,
) {
  const session = await caller.sessions.create({});
  const channel = await subscriber.follow(session.id);
  const cue = scriptReply(provider, tokens, delayMs);
  const startedAt = performance.now();
  const sent = await caller.chat.send({
    sessionId: session.id,
    clientMessageId: crypto.randomUUID(),
    content: cue,
  });
  const returnedAt = performance.now();
  await subscriber.waitFor(sent.replyId, 1);
  const firstDeltaAt = subscriber.received.get(sent.replyId)?.[0]?.at ?? Number.NaN;
  const record = await provider.requestFor(cue);
  await chatEngineIdle();
  await subscriber.client.removeChannel(channel);
  return { sent, startedAt, returnedAt, firstDeltaAt, record };
}

async function chatEngineIdle() {
  const { chatEngine } = await import('../src/server/chat-engine/chat-engine');
  await chatEngine().idle();
}

/** send → first delta and first-token overhead (subscriber got delta 1 − provider wrote token 1). */
async function latencyFigures(provider: FakeLlmProvider, caller: Caller, subscriber: Subscriber) {
  const tokens = Array.from({ length: 20 }, (_, i) => ` tok${i}`);
  const sendToFirst: number[] = [];
  const overhead: number[] = [];
  const sendReturn: number[] = [];
  for (let i = 0; i < 60; i++) {
    const run = await sendAndFinish(provider, caller, subscriber, tokens, 5);
    if (i < 10) continue; // warm-up
    sendToFirst.push(run.firstDeltaAt - run.startedAt);
    sendReturn.push(run.returnedAt - run.startedAt);
    overhead.push(run.firstDeltaAt - (run.record.firstTokenWrittenAt ?? Number.NaN));
  }
  reportFigure('chat.send_to_first_delta_p50', percentile(sendToFirst, 50), 'ms');
  reportFigure('chat.send_to_first_delta_p90', percentile(sendToFirst, 90), 'ms');
  reportFigure('chat.send_mutation_p50', percentile(sendReturn, 50), 'ms');
  reportFigure('chat.first_token_overhead_p50', percentile(overhead, 50), 'ms');
  reportFigure('chat.first_token_overhead_p90', percentile(overhead, 90), 'ms');
  reportFigure('chat.first_token_overhead_p99', percentile(overhead, 99), 'ms');
}

/** One 202-token reply at 200 tokens/s: Realtime messages per second, bytes against the text. */
async function wireFigures(
  provider: FakeLlmProvider,
  caller: Caller,
  subscriber: Subscriber,
  stats: { requests: number; bodyBytes: number },
) {
  const tokens = Array.from({ length: 202 }, (_, i) => (i % 2 ? ` word${i}` : ' the'));
  const before = { requests: stats.requests, bodyBytes: stats.bodyBytes, wire: subscriber.wireBytes };
  const run = await sendAndFinish(provider, caller, subscriber, tokens, 5);
  const deltas = subscriber.received.get(run.sent.replyId) ?? [];
  const text = deltas.map((d) => d.delta.text).join('');
  const textBytes = Buffer.byteLength(text);
  const seconds = ((deltas.at(-1)?.at ?? 0) - (deltas[0]?.at ?? 0)) / 1000;
  reportFigure(
    'chat.realtime_messages_per_stream_second_at_200tps',
    deltas.length / Math.max(seconds, 0.001),
    'msg/s',
    {
      deltas: deltas.length,
      tokens: tokens.length,
    },
  );
  reportFigure(
    'chat.subscriber_wire_bytes_per_text_byte',
    (subscriber.wireBytes - before.wire) / textBytes,
    'x',
    {
      textBytes,
      wireBytes: subscriber.wireBytes - before.wire,
    },
  );
  // Request line and headers of one publish (the service key travels twice: apikey and Authorization).
  const headerBytes = 450;
  const requests = stats.requests - before.requests;
  const engineBytes = stats.bodyBytes - before.bodyBytes + requests * headerBytes;
  reportFigure('chat.engine_to_realtime_bytes_per_text_byte', engineBytes / textBytes, 'x', { requests });
}

/** Database writes for one 30 s reply: chat.send's transaction, the engine's checkpoints and final write. */
async function dbWriteFigures(
  provider: FakeLlmProvider,
  caller: Caller,
  subscriber: Subscriber,
  engineWrites: { checkpoints: number; finals: number },
) {
  const session = await caller.sessions.create({});
  await caller.sessions.rename({ id: session.id, title: 'Benchmark' }); // no title job: one reply's own writes
  const channel = await subscriber.follow(session.id);
  const engineBefore = engineWrites.checkpoints + engineWrites.finals;
  const tokens = Array.from({ length: 600 }, (_, i) => ` w${i}`);
  const cue = scriptReply(provider, tokens, 50);
  await caller.chat.send({ sessionId: session.id, clientMessageId: crypto.randomUUID(), content: cue });
  await chatEngineIdle();
  // chat.send: one transaction of 2 writes (rate limit; question + reply + session in one statement), then
  // the engine's checkpoints and final write.
  reportFigure(
    'chat.db_write_statements_30s_reply',
    2 + engineWrites.checkpoints + engineWrites.finals - engineBefore,
    'writes',
    {
      transactions: 1 + engineWrites.checkpoints + engineWrites.finals - engineBefore,
    },
  );
  await subscriber.client.removeChannel(channel);
}

/** 200 streams at once (20 users × 10 sessions): per-token provider → subscriber latency, losses, RSS. */
async function concurrencyFigures(
  provider: FakeLlmProvider,
  signUp: (index: number) => Promise<{ caller: Caller; subscriber: Subscriber }>,
) {
  const tokens = Array.from({ length: 202 }, (_, i) => ` t${i}`);
  const users = await Promise.all(Array.from({ length: 20 }, (_, i) => signUp(i + 1)));
  const streams: { subscriber: Subscriber; caller: Caller; sessionId: string; cue: string }[] = [];
  for (const user of users) {
    for (let s = 0; s < 10; s++) {
      const session = await user.caller.sessions.create({ title: 'Load' });
      await user.subscriber.follow(session.id);
      streams.push({ ...user, sessionId: session.id, cue: scriptReply(provider, tokens, 5) });
    }
  }
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  const sent = await Promise.all(
    streams.map((stream) =>
      stream.caller.chat.send({
        sessionId: stream.sessionId,
        clientMessageId: crypto.randomUUID(),
        content: stream.cue,
      }),
    ),
  );
  await chatEngineIdle();
  const cpu = process.cpuUsage(cpuBefore);
  const wall = performance.now() - wallBefore;
  const latencies: number[] = [];
  let lostOrReordered = 0;
  for (const [index, stream] of streams.entries()) {
    const reply = sent[index];
    const record = await provider.requestFor(stream.cue);
    if (!reply) continue;
    await stream.subscriber.waitFor(reply.replyId, 1);
    const deltas = stream.subscriber.received.get(reply.replyId) ?? [];
    const seqs = deltas.map((d) => d.delta.seq);
    if (seqs.some((seq, i) => seq !== i + 1)) lostOrReordered += 1;
    let cursor = 0;
    let tokenIndex = 0;
    const full = tokens.join('');
    let text = '';
    for (const { delta, at } of deltas) {
      text += delta.text;
      cursor += delta.text.length;
      while (tokenIndex < tokens.length && tokenEnd(tokens, tokenIndex) <= cursor) {
        latencies.push(at - (record.tokenWrittenAt[tokenIndex] ?? at));
        tokenIndex += 1;
      }
    }
    if (text !== full) lostOrReordered += 1;
  }
  clearInterval(rssTimer);
  reportFigure('chat.concurrent_200_provider_to_subscriber_p50', percentile(latencies, 50), 'ms');
  reportFigure('chat.concurrent_200_provider_to_subscriber_p99', percentile(latencies, 99), 'ms');
  reportFigure(
    'chat.concurrent_200_process_cpu_share',
    ((cpu.user + cpu.system) / 1000 / wall) * 100,
    '% of a core',
    {
      wallMs: Math.round(wall),
    },
  );
  reportFigure('chat.concurrent_200_streams_lost_or_reordered', lostOrReordered, 'streams');
  reportFigure('chat.concurrent_200_engine_process_peak_rss', peakRss / 1024 / 1024, 'MB', {
    note: 'engine + fake provider + 20 supabase-js subscribers in one process',
  });
  for (const user of users) {
    await user.subscriber.client.removeAllChannels();
    user.subscriber.client.realtime.disconnect();
  }
}

const tokenEnds = new WeakMap<string[], number[]>();
function tokenEnd(tokens: string[], index: number): number {
  let ends = tokenEnds.get(tokens);
  if (!ends) {
    let sum = 0;
    ends = tokens.map((token) => (sum += token.length));
    tokenEnds.set(tokens, ends);
  }
  return ends[index] ?? Number.POSITIVE_INFINITY;
}

if (process.argv.includes(CHILD_FLAG)) {
  runChild().then(
    // pools are left to process exit: the parent stops Postgres after this
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
