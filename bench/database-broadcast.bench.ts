/**
 * Broadcast from Database and replay, at the protocol level (issue 12): latency from a committed
 * realtime.send to 100 private subscribers (p50/p95 over 200 sends, one every 20 ms), and the time from
 * subscribe to the last of 25 replayed messages for a channel joined with config.broadcast.replay.
 * Run: npm run bench -- database-broadcast
 */
import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { SignJWT } from 'jose';
import pg from 'pg';
import { DEMO_ANON_KEY, DEMO_JWT_SECRET } from '../src/env';
import { BENCH_REALTIME_LIMITS } from './bench-realtime-limits';
import { percentile, reportFigure } from './bench-report';
import { startBenchStack } from './bench-stack';

const SUBSCRIBERS = 100;
const SENDS = 200;
const TOPIC = `bench-db:${randomUUID()}`;

async function token(): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: 'authenticated', sub: 'bench-reader' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(DEMO_JWT_SECRET));
}

async function client(url: string, jwt: string): Promise<SupabaseClient> {
  const supabase = createClient(url, DEMO_ANON_KEY, { accessToken: async () => jwt });
  await supabase.realtime.setAuth();
  return supabase;
}

function subscribe(
  supabase: SupabaseClient,
  config: Record<string, unknown>,
  onMessage: (payload: { sentAt?: number }, meta?: { replayed?: boolean }) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    supabase
      .channel(TOPIC, { config: { private: true, ...config } } as never)
      .on('broadcast', { event: '*' }, (message) =>
        onMessage(
          message.payload as { sentAt?: number },
          (message as { meta?: { replayed?: boolean } }).meta,
        ),
      )
      .subscribe((status, error) => {
        if (status === 'SUBSCRIBED') resolve();
        else if (status !== 'CLOSED') reject(error ?? new Error(status));
      });
  });
}

export async function main() {
  const stack = await startBenchStack(BENCH_REALTIME_LIMITS);
  const db = new pg.Pool({
    connectionString: stack.databaseUrl,
    max: 2,
    options: '-c synchronous_commit=on',
  });
  const clients: SupabaseClient[] = [];
  try {
    await db.query(`create policy "bench readers" on realtime.messages for select to authenticated
      using (realtime.topic() like 'bench-db:%')`);
    const jwt = await token();

    const latencies: number[] = [];
    for (let index = 0; index < SUBSCRIBERS; index++) {
      const supabase = await client(stack.realtimeUrl, jwt);
      clients.push(supabase);
      await subscribe(supabase, {}, (payload) => {
        if (payload.sentAt) latencies.push(performance.timeOrigin + performance.now() - payload.sentAt);
      });
    }
    for (let index = 0; index < SENDS; index++) {
      await db.query(`select realtime.send(jsonb_build_object('sentAt', $1::float8), 'tick', $2, true)`, [
        performance.timeOrigin + performance.now(),
        TOPIC,
      ]);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const expected = SUBSCRIBERS * SENDS;
    const deadline = Date.now() + 30_000;
    while (latencies.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    reportFigure('realtime.send → 100 private subscribers, p50', percentile(latencies, 50), 'ms');
    reportFigure('realtime.send → 100 private subscribers, p95', percentile(latencies, 95), 'ms', {
      delivered: latencies.length,
      expected,
    });

    // Replay: the topic now holds SENDS stored messages; a join replays the newest 25.
    const joinTimes: number[] = [];
    for (let round = 0; round < 20; round++) {
      const supabase = await client(stack.realtimeUrl, jwt);
      clients.push(supabase);
      const started = performance.now();
      let replayed = 0;
      const caughtUp = new Promise<void>((resolve) => {
        void subscribe(
          supabase,
          { broadcast: { replay: { since: Date.now() - 600_000, limit: 25 } } },
          (_p, meta) => {
            if (meta?.replayed && ++replayed === 25) resolve();
          },
        );
      });
      await caughtUp;
      joinTimes.push(performance.now() - started);
      await supabase.removeAllChannels();
    }
    reportFigure('join with replay → 25th replayed message, p50', percentile(joinTimes, 50), 'ms');
    reportFigure('join with replay → 25th replayed message, p95', percentile(joinTimes, 95), 'ms');
  } finally {
    for (const supabase of clients) supabase.realtime.disconnect();
    await db.end();
    await stack.stop();
  }
}
