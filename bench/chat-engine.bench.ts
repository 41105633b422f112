/**
 * Chat engine benchmarks (issues 5 and 13), fake provider on loopback, real stack (Postgres, BetterAuth,
 * realtime server, supabase-js subscribers on vsn 2.0.0), generated secrets. Prints `BENCH {"name","value",
 * "unit"}` lines for the whole table of issue 13:
 * send → first delta at the subscriber through a production Next server over HTTP (`next build` + `next
 * start`) with where its time goes, and through the bare `createCaller` host beside it; first-token overhead
 * over the provider; Realtime messages per stream-second at 200 tokens/s; bytes reaching the subscriber
 * against the text; chat_messages writes for a 30 s reply; 200 concurrent 30 s streams (provider → subscriber,
 * lost or reordered deltas, and a CPU profile of the engine host and of the realtime server).
 * CHAT_BENCH_ONLY=latency|wire|db|concurrency runs one part; CHAT_BENCH_NEXT=0 skips the Next build.
 *
 * Three processes, as in production: this one runs Postgres and the realtime server; a driver child plays the
 * provider and the browsers (and measures, on one clock); the driver starts the app server (engine + chat.send,
 * bench/chat-engine-host.ts) as its own child. The app reads its environment once per process, and
 * bench/run.ts runs every bench in one process, so the measuring happens in children with an environment
 * of their own.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/stack/free-port';
import { startStack } from '../src/stack/start-stack';
import { startFakeLlmProvider } from '../tests/helpers/fake-llm-provider';
import { BENCH_REALTIME_LIMITS } from './bench-realtime-limits';
import { percentile, reportFigure } from './bench-report';
import { Subscriber } from './chat-bench-subscriber';
import {
  APP_ORIGIN,
  type Bench,
  type Browser,
  EngineHost,
  projectKey,
  root,
  type SendTarget,
  scriptReply,
} from './chat-engine-bench-parts';
import { concurrencyFigures } from './chat-engine-concurrency';
import { NextTarget } from './chat-engine-next';
import { printProfile, readLargestProfile } from './cpu-profile-summary';

const CHILD_FLAG = '--chat-engine-bench-child';

export async function main(): Promise<void> {
  const dataRoot = await mkdtemp(path.join(os.tmpdir(), 'chattwelve-chat-bench-'));
  // Generated secrets, as a production deployment has (a production build refuses the demo ones).
  const jwtSecret = randomBytes(32).toString('hex');
  const secrets = {
    SUPABASE_JWT_SECRET: jwtSecret,
    NEXT_PUBLIC_SUPABASE_ANON_KEY: await projectKey(jwtSecret, 'anon'),
    SUPABASE_SERVICE_ROLE_KEY: await projectKey(jwtSecret, 'service_role'),
    BETTER_AUTH_SECRET: randomBytes(32).toString('hex'),
  };
  // Postgres and the realtime server here; engine, provider and subscribers in the child: as in production,
  // the realtime server does not share the engine's event loop.
  const stack = await startStack({
    dataDir: path.join(dataRoot, 'postgres'),
    pgPort: await freePort(),
    realtimePort: 0,
    durable: false,
    jwtSecret,
    realtimeLimits: BENCH_REALTIME_LIMITS,
  });
  // The realtime server's CPU profile while the child runs (CHAT_BENCH_CPU_PROF=1; meant with
  // CHAT_BENCH_ONLY=concurrency, so the profile is the 200 streams).
  const profiler = process.env.CHAT_BENCH_CPU_PROF === '1' ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
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
            ...secrets,
            DATABASE_URL: stack.databaseUrl,
            NEXT_PUBLIC_SUPABASE_URL: stack.realtimeUrl,
          },
        },
      );
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`chat engine bench exited ${code}`)),
      );
    });
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      printProfile('realtime server + Postgres launcher process, CPU profile', profile);
      profiler.disconnect();
    }
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
    AI_API_KEY: 'bench-key',
    AI_MODELS: 'bench-model',
    CHAT_RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'warn',
    DATABASE_URL: process.env.DATABASE_URL ?? '',
    NEXT_PUBLIC_SUPABASE_URL: realtimeUrl,
    SUPABASE_JWT_SECRET: process.env.SUPABASE_JWT_SECRET ?? '',
    NEXT_PUBLIC_SUPABASE_ANON_KEY: process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY ?? '',
    SUPABASE_SERVICE_ROLE_KEY: process.env.SUPABASE_SERVICE_ROLE_KEY ?? '',
    BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET ?? '',
  };
  Object.assign(process.env, appEnv);
  const only = process.env.CHAT_BENCH_ONLY;
  const profileDir =
    process.env.CHAT_BENCH_CPU_PROF === '1'
      ? await mkdtemp(path.join(os.tmpdir(), 'chat-bench-prof-'))
      : undefined;
  const host = await EngineHost.start(appEnv, profileDir);
  const next =
    process.env.CHAT_BENCH_NEXT === '0' || (only && only !== 'latency')
      ? undefined
      : await NextTarget.start(appEnv);
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
    return {
      cookie,
      caller,
      subscriber: await Subscriber.open(realtimeUrl, token, env().NEXT_PUBLIC_SUPABASE_ANON_KEY),
    };
  }

  // Other work on the machine moves these figures; the load average says how much there was.
  reportFigure('chat.bench_load_average_1min_at_start', os.loadavg()[0] ?? 0, 'runnable', {
    cores: os.cpus().length,
  });
  const bench = { provider, host };
  try {
    const browser = await signUp(0);
    if (!only || only === 'latency') {
      if (next) {
        await latencyFigures(bench, browser, next, 'chat.next');
        await sessionCheckFigure(next, browser);
      }
      await latencyFigures(bench, browser, host, 'chat.bare_caller');
    }
    if (!only || only === 'wire') await wireFigures(bench, browser);
    if (!only || only === 'db') await dbWriteFigures(bench, browser);
    if (!only || only === 'concurrency') {
      // The driver plays the provider and 200 browsers: its profile says how much of the machine they take.
      const driverProfiler = profileDir ? new Session() : undefined;
      if (driverProfiler) {
        driverProfiler.connect();
        await driverProfiler.post('Profiler.enable');
        await driverProfiler.post('Profiler.start');
      }
      await concurrencyFigures(bench, signUp);
      if (driverProfiler) {
        const { profile } = await driverProfiler.post('Profiler.stop');
        printProfile('driver (fake provider + supabase-js subscribers) process, CPU profile', profile);
        driverProfiler.disconnect();
      }
    }
  } finally {
    await next?.stop();
    await host.stop();
    await provider.close();
  }
  if (profileDir) {
    const profile = await readLargestProfile(profileDir);
    if (profile) printProfile('engine host (bare createCaller) process, CPU profile', profile);
    await rm(profileDir, { recursive: true, force: true });
  }
}

async function sendAndFinish(
  { provider, host }: Bench,
  browser: Browser,
  tokens: string[],
  delayMs: number,
  target: SendTarget = host,
) {
  const session = await browser.caller.sessions.create({});
  const channel = await browser.subscriber.follow(session.id);
  const cue = scriptReply(provider, tokens, delayMs);
  const clientMessageId = crypto.randomUUID();
  const startedAt = performance.now();
  const sent = await target.send(browser.cookie, { sessionId: session.id, clientMessageId, content: cue });
  const returnedAt = performance.now();
  await browser.subscriber.waitFor(sent.replyId, 1);
  const firstDeltaAt = browser.subscriber.received.get(sent.replyId)?.[0]?.at ?? Number.NaN;
  const record = await provider.requestFor(cue);
  await host.idle();
  await browser.subscriber.client.removeChannel(channel);
  return {
    sent,
    startedAt,
    returnedAt,
    firstDeltaAt,
    record,
    phases: target.traces.phasesOf(clientMessageId),
  };
}

/**
 * send → first delta, the first-token overhead (subscriber got delta 1 − provider wrote token 1), and where
 * the time of a send goes, step by step (p50 of each step over the samples).
 */
async function latencyFigures(bench: Bench, browser: Browser, target: SendTarget, prefix: string) {
  const tokens = Array.from({ length: 20 }, (_, i) => ` tok${i}`);
  const sendToFirst: number[] = [];
  const overhead: number[] = [];
  const sendReturn: number[] = [];
  const steps = new Map<string, number[]>();
  const step = (name: string, from: number | undefined, to: number | undefined) => {
    if (from === undefined || to === undefined) return;
    steps.set(name, [...(steps.get(name) ?? []), to - from]);
  };
  for (let i = 0; i < 60; i++) {
    const run = await sendAndFinish(bench, browser, tokens, 5, target);
    if (i < 10) continue; // warm-up
    sendToFirst.push(run.firstDeltaAt - run.startedAt);
    sendReturn.push(run.returnedAt - run.startedAt);
    overhead.push(run.firstDeltaAt - (run.record.firstTokenWrittenAt ?? Number.NaN));
    const p = run.phases;
    // The model is asked once the rate limit passed, while the writes and the commit still run: steps 2 and
    // 3 overlap 4 to 6, and the first token waits for the later of the commit (3) and the provider (6).
    step('1_http_session_origin_input', run.startedAt, p['send.start']);
    step('2_rate_limit_then_model_asked', p['send.start'], p['provider.called']);
    step('3_writes_commit_after_model_asked', p['provider.called'], p['send.committed']);
    step('4_runner_context_after_commit', p['send.committed'], p['context.ready']);
    step('5_provider_request_arrives', p['provider.called'], run.record.receivedAt);
    step('6_provider_writes_first_token', run.record.receivedAt, run.record.firstTokenWrittenAt);
    step('7_first_token_reaches_runner', run.record.firstTokenWrittenAt, p['first.token']);
    step('7b_first_token_after_commit', p['send.committed'], p['first.token']);
    step('8_rest_broadcast_realtime_websocket', p['first.token'], run.firstDeltaAt);
    step('rest_broadcast_202_after_first_token', p['first.token'], p['first.published']);
    step('send_response_after_commit', p['send.committed'], run.returnedAt);
  }
  reportFigure(`${prefix}.send_to_first_delta_p50`, percentile(sendToFirst, 50), 'ms');
  reportFigure(`${prefix}.send_to_first_delta_p90`, percentile(sendToFirst, 90), 'ms');
  reportFigure(`${prefix}.send_mutation_p50`, percentile(sendReturn, 50), 'ms');
  reportFigure(`${prefix}.first_token_overhead_p50`, percentile(overhead, 50), 'ms');
  reportFigure(`${prefix}.first_token_overhead_p90`, percentile(overhead, 90), 'ms');
  reportFigure(`${prefix}.first_token_overhead_p99`, percentile(overhead, 99), 'ms');
  for (const [name, samples] of [...steps.entries()].sort()) {
    reportFigure(`${prefix}.send_breakdown.${name}_p50`, percentile(samples, 50), 'ms', {
      p90: Math.round(percentile(samples, 90) * 100) / 100,
    });
  }
}

/** BetterAuth's session check alone over HTTP (GET /api/auth/get-session): the floor under step 1. */
async function sessionCheckFigure(next: NextTarget, browser: Browser) {
  const samples: number[] = [];
  for (let i = 0; i < 60; i++) {
    const startedAt = performance.now();
    await next.getSession(browser.cookie);
    if (i >= 10) samples.push(performance.now() - startedAt);
  }
  reportFigure('chat.next.better_auth_get_session_http_p50', percentile(samples, 50), 'ms');
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
