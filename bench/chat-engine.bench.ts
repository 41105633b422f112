/**
 * Chat engine benchmarks (issue 5), fake provider on loopback, real stack (Postgres, BetterAuth, realtime
 * server, supabase-js subscribers). Prints `BENCH {"name","value","unit"}` lines:
 * send → first delta, first-token overhead over the provider, Realtime messages per stream-second at 200
 * tokens/s, bytes on the wire against the text, DB row writes for a 30 s reply, 200 concurrent streams.
 *
 * Three processes, as in production: this one runs Postgres and the realtime server; a driver child plays the
 * provider and the browsers (and measures, on one clock); the driver starts the app server (engine + chat.send,
 * bench/chat-engine-host.ts) as its own child. The app reads its environment once per process, and
 * bench/run.ts runs every bench in one process, so the measuring happens in children with an environment
 * of their own.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/stack/free-port';
import { startStack } from '../src/stack/start-stack';
import { startFakeLlmProvider } from '../tests/helpers/fake-llm-provider';
import { percentile, reportFigure } from './bench-report';
import { Subscriber } from './chat-bench-subscriber';
import {
  APP_ORIGIN,
  type Bench,
  type Browser,
  EngineHost,
  root,
  scriptReply,
} from './chat-engine-bench-parts';
import { concurrencyFigures } from './chat-engine-concurrency';

const CHILD_FLAG = '--chat-engine-bench-child';

export async function main(): Promise<void> {
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

async function runDriver(): Promise<void> {
  const provider = await startFakeLlmProvider();
  const realtimeUrl = process.env.NEXT_PUBLIC_SUPABASE_URL ?? '';
  const appEnv = {
    APP_URL: APP_ORIGIN,
    AI_BASE_URL: provider.baseUrl,
    AI_MODELS: 'bench-model',
    CHAT_RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'warn',
  };
  Object.assign(process.env, appEnv);
  const host = await EngineHost.start(appEnv);
  // Loaded after the environment is set: the app reads it once.
  const { auth } = await import('../src/server/auth');
  const { createCaller } = await import('../src/server/router');
  const { createContext } = await import('../src/server/trpc');
  const { mintRealtimeToken } = await import('../src/server/realtime-token/realtime-token.service');
  const { env } = await import('../src/env');

  async function signUp(index: number): Promise<Browser> {
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
        headers: new Headers({ cookie, origin: APP_ORIGIN }),
        resHeaders: new Headers(),
      }),
    );
    const { token } = await mintRealtimeToken(response.user.id, env().SUPABASE_JWT_SECRET);
    return { cookie, caller, subscriber: await Subscriber.open(realtimeUrl, token) };
  }

  // Other work on the machine moves these figures; the load average says how much there was.
  reportFigure('chat.bench_load_average_1min_at_start', os.loadavg()[0] ?? 0, 'runnable', {
    cores: os.cpus().length,
  });
  const bench = { provider, host };
  try {
    const browser = await signUp(0);
    // CHAT_BENCH_ONLY=concurrency (etc.) runs one part while tuning.
    const only = process.env.CHAT_BENCH_ONLY;
    if (!only || only === 'latency') await latencyFigures(bench, browser);
    if (!only || only === 'wire') await wireFigures(bench, browser);
    if (!only || only === 'db') await dbWriteFigures(bench, browser);
    if (!only || only === 'concurrency') await concurrencyFigures(bench, signUp);
  } finally {
    host.stop();
    await provider.close();
  }
}

async function sendAndFinish({ provider, host }: Bench, browser: Browser, tokens: string[], delayMs: number) {
  const session = await browser.caller.sessions.create({});
  const channel = await browser.subscriber.follow(session.id);
  const cue = scriptReply(provider, tokens, delayMs);
  const startedAt = performance.now();
  const sent = await host.send(browser.cookie, {
    sessionId: session.id,
    clientMessageId: crypto.randomUUID(),
    content: cue,
  });
  const returnedAt = performance.now();
  await browser.subscriber.waitFor(sent.replyId, 1);
  const firstDeltaAt = browser.subscriber.received.get(sent.replyId)?.[0]?.at ?? Number.NaN;
  const record = await provider.requestFor(cue);
  await host.idle();
  await browser.subscriber.client.removeChannel(channel);
  return { sent, startedAt, returnedAt, firstDeltaAt, record };
}

/** send → first delta and first-token overhead (subscriber got delta 1 − provider wrote token 1). */
async function latencyFigures(bench: Bench, browser: Browser) {
  const tokens = Array.from({ length: 20 }, (_, i) => ` tok${i}`);
  const sendToFirst: number[] = [];
  const overhead: number[] = [];
  const sendReturn: number[] = [];
  for (let i = 0; i < 60; i++) {
    const run = await sendAndFinish(bench, browser, tokens, 5);
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

/**
 * One 5 s reply at 200 tokens/s: Realtime messages per second (long enough that the first, immediate delta does
 * not skew the rate), bytes against the text.
 */
async function wireFigures(bench: Bench, browser: Browser) {
  const tokens = Array.from({ length: 1000 }, (_, i) => (i % 2 ? ` word${i}` : ' the'));
  const before = await bench.host.stats();
  const wireBefore = browser.subscriber.wireBytes;
  const run = await sendAndFinish(bench, browser, tokens, 5);
  const after = await bench.host.stats();
  const deltas = browser.subscriber.received.get(run.sent.replyId) ?? [];
  const textBytes = Buffer.byteLength(deltas.map((d) => d.delta.text).join(''));
  // n messages span n − 1 intervals
  const seconds = ((deltas.at(-1)?.at ?? 0) - (deltas[0]?.at ?? 0)) / 1000;
  reportFigure(
    'chat.realtime_messages_per_stream_second_at_200tps',
    (deltas.length - 1) / Math.max(seconds, 0.001),
    'msg/s',
    {
      deltas: deltas.length,
      tokens: tokens.length,
    },
  );
  const wireBytes = browser.subscriber.wireBytes - wireBefore;
  reportFigure('chat.subscriber_wire_bytes_per_text_byte', wireBytes / textBytes, 'x', {
    textBytes,
    wireBytes,
  });
  const requests = after.publisher.requests - before.publisher.requests;
  const engineBytes =
    after.publisher.bodyBytes +
    after.publisher.headBytes -
    before.publisher.bodyBytes -
    before.publisher.headBytes;
  reportFigure('chat.engine_to_realtime_bytes_per_text_byte', engineBytes / textBytes, 'x', { requests });
}

/** Database writes for one 30 s reply: chat.send's transaction, the engine's checkpoints and final write. */
async function dbWriteFigures({ provider, host }: Bench, browser: Browser) {
  const session = await browser.caller.sessions.create({});
  await browser.caller.sessions.rename({ id: session.id, title: 'Benchmark' }); // no title job
  const channel = await browser.subscriber.follow(session.id);
  const before = (await host.stats()).writes;
  const tokens = Array.from({ length: 600 }, (_, i) => ` w${i}`);
  const cue = scriptReply(provider, tokens, 50);
  const sent = await host.send(browser.cookie, {
    sessionId: session.id,
    clientMessageId: crypto.randomUUID(),
    content: cue,
  });
  await host.idle();
  const after = (await host.stats()).writes;
  const deltas = browser.subscriber.received.get(sent.replyId) ?? [];
  // A loaded machine stretches the provider's 30 s; the allowance is per second actually streamed.
  const streamedSeconds = ((deltas.at(-1)?.at ?? 0) - (deltas[0]?.at ?? 0)) / 1000;
  const engineWrites = after.checkpoints + after.finals - before.checkpoints - before.finals;
  // chat.send: one transaction of 2 writes (rate limit; question + reply + session in one statement), then
  // the engine's checkpoints and final write.
  reportFigure('chat.db_write_statements_30s_reply', 2 + engineWrites, 'writes', {
    transactions: 1 + engineWrites,
    streamedSeconds: Math.round(streamedSeconds * 10) / 10,
    allowance: 3 + Math.ceil(streamedSeconds),
  });
  await browser.subscriber.client.removeChannel(channel);
}

if (process.argv.includes(CHILD_FLAG)) {
  runDriver().then(
    // pools are left to process exit: the parent stops Postgres after this
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
