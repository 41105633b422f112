import 'server-only';
import { sql } from 'kysely';
import type { DB } from '../db';

export interface DependencyCheck {
  ok: boolean;
  latencyMs: number;
  /** Why it failed, in words safe to show anyone: no host names, no credentials. */
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'unavailable';
  checks: { database: DependencyCheck; realtime: DependencyCheck };
}

export interface HealthTargets {
  db: DB;
  /** NEXT_PUBLIC_SUPABASE_URL: the realtime server (ours locally, hosted Supabase in production). */
  realtimeUrl: string;
  anonKey: string;
  timeoutMs?: number;
}

class TimeoutError extends Error {}

async function timed(
  timeoutMs: number,
  check: (signal: AbortSignal) => Promise<void>,
): Promise<DependencyCheck> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Settle first: aborting makes the check fail at once, and that must not win the race.
      reject(new TimeoutError());
      controller.abort();
    }, timeoutMs);
  });
  try {
    await Promise.race([check(controller.signal), timeout]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const reason = error instanceof TimeoutError ? `no answer within ${timeoutMs} ms` : 'unreachable';
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: reason };
  } finally {
    clearTimeout(timer);
  }
}

/** Postgres answers a query. */
function checkDatabase(db: DB, timeoutMs: number) {
  return timed(timeoutMs, async () => {
    await sql`select 1`.execute(db);
  });
}

/**
 * The realtime server accepts the websocket a browser opens (Supabase's protocol path and anon key), which is
 * what the app needs of it — the same on our local server and on hosted Supabase.
 */
function checkRealtime(realtimeUrl: string, anonKey: string, timeoutMs: number) {
  return timed(timeoutMs, (signal) => {
    const url = new URL('/realtime/v1/websocket', realtimeUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('apikey', anonKey);
    url.searchParams.set('vsn', '1.0.0');
    return new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(url);
      const fail = () => reject(new Error('realtime websocket failed'));
      signal.addEventListener('abort', () => socket.close());
      socket.addEventListener('open', () => {
        socket.close();
        resolve();
      });
      socket.addEventListener('error', fail);
    });
  });
}

/**
 * Answers from the last check for this long: a flood of /api/health requests (it is public) must not become a
 * flood of websockets and queries against the services it checks.
 */
const REUSE_FOR_MS = 2000;
let lastCheck: { at: number; key: string; report: Promise<HealthReport> } | undefined;

export const healthService = Object.freeze({
  /** `check`, shared by every request within 2 s of the last one (for the same targets). */
  async checkReusingRecent(targets: HealthTargets, now = Date.now()): Promise<HealthReport> {
    const key = `${targets.realtimeUrl}|${targets.timeoutMs ?? ''}`;
    if (!lastCheck || lastCheck.key !== key || now - lastCheck.at >= REUSE_FOR_MS) {
      lastCheck = { at: now, key, report: healthService.check(targets) };
    }
    return lastCheck.report;
  },

  /** Both checks side by side; `ok` only when both pass. */
  async check(targets: HealthTargets): Promise<HealthReport> {
    const timeoutMs = targets.timeoutMs ?? 2000;
    const [database, realtime] = await Promise.all([
      checkDatabase(targets.db, timeoutMs),
      checkRealtime(targets.realtimeUrl, targets.anonKey, timeoutMs),
    ]);
    return { status: database.ok && realtime.ok ? 'ok' : 'unavailable', checks: { database, realtime } };
  },
});
