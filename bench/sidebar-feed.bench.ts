/**
 * The sidebar's live feed (issue 12): cost per chat_sessions change fanned out to 100 subscribers over 10
 * users (10 tabs each): postgres_changes (the old feed; RLS checked per change, which our server batches across
 * subscribers and hosted Supabase does per subscriber) against Broadcast from Database to the private topic
 * user:<id>:sessions (authorised once per join), fed by Supabase's broadcast_changes trigger or by 0020's.
 * Figures: changes/s and CPU ms per change, of the realtime server (in this process) and of Postgres (every
 * backend: the writers, the trigger, walsender, realtime's queries). Subscribers run in a child process.
 * Run: npm run bench -- sidebar-feed
 */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type RealtimeChannel } from '@supabase/supabase-js';
import { SignJWT } from 'jose';
import pg from 'pg';
import { DEMO_ANON_KEY, DEMO_JWT_SECRET } from '../src/env';
import { userSessionsTopic } from '../src/shared/realtime-topics';
import { BENCH_REALTIME_LIMITS } from './bench-realtime-limits';
import { reportFigure } from './bench-report';
import { startBenchStack } from './bench-stack';

const USERS = 10;
const TABS_PER_USER = 10;
const CHANGES_PER_USER = 500;

type Feed = 'postgres_changes' | 'broadcast';

/** A measured setup: the feed the tabs follow, and the chat_sessions update trigger that feeds it (if any). */
interface Variant {
  name: string;
  feed: Feed;
  trigger: 'none' | 'bench_broadcast_changes_update' | 'chat_sessions_broadcast_update';
}

const VARIANTS: Variant[] = [
  { name: 'postgres_changes', feed: 'postgres_changes', trigger: 'none' },
  // Supabase's documented trigger: realtime.broadcast_changes with the whole new and old rows.
  { name: 'broadcast_changes (whole rows)', feed: 'broadcast', trigger: 'bench_broadcast_changes_update' },
  // Migration 0020's: realtime.send with the columns the sidebar reads.
  { name: 'broadcast (0020, sidebar columns)', feed: 'broadcast', trigger: 'chat_sessions_broadcast_update' },
];
const UPDATE_TRIGGERS = ['bench_broadcast_changes_update', 'chat_sessions_broadcast_update'];

async function userToken(sub: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: 'authenticated', sub, aud: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(DEMO_JWT_SECRET));
}

/** CPU milliseconds used so far by the postmaster and all its children (Linux /proc; clock ticks of 10 ms). */
async function postgresCpuMs(postmasterPid: number): Promise<number> {
  let ticks = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Fields after the command name "(…)": state ppid … utime(14) stime(15), 1-based over the whole line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    const ppid = Number(fields[1]);
    if (pid !== postmasterPid && ppid !== postmasterPid) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10;
}

function realtimeCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

async function runFeed(
  { name, feed, trigger }: Variant,
  stack: { realtimeUrl: string; databaseUrl: string; postgresPid: number },
  db: pg.Pool,
  users: { id: string; sessionId: string }[],
): Promise<void> {
  // Only the feed under test costs anything: one update trigger on, the others off.
  for (const candidate of UPDATE_TRIGGERS) {
    await db.query(
      `alter table chat_sessions ${candidate === trigger ? 'enable' : 'disable'} trigger ${candidate}`,
    );
  }
  const expected = USERS * CHANGES_PER_USER * TABS_PER_USER;
  const tokens = await Promise.all(
    users.map(async (user) => ({ id: user.id, token: await userToken(user.id) })),
  );
  const subscribers = childProcess([feed, stack.realtimeUrl, String(expected), JSON.stringify(tokens)]);
  await subscribers.line('ready');

  const cpuBefore = { realtime: realtimeCpuMs(), postgres: await postgresCpuMs(stack.postgresPid) };
  const start = performance.now();
  // One committed update per change, written inside Postgres (no client round trips in the figures).
  await Promise.all(
    users.map((user) => db.query('call bench_touch_session($1, $2)', [user.sessionId, CHANGES_PER_USER])),
  );
  await subscribers.line('done');
  const seconds = (performance.now() - start) / 1000;
  const changes = USERS * CHANGES_PER_USER;
  const realtimeMs = realtimeCpuMs() - cpuBefore.realtime;
  const postgresMs = (await postgresCpuMs(stack.postgresPid)) - cpuBefore.postgres;
  subscribers.kill();

  const extra = { users: USERS, subscribers: USERS * TABS_PER_USER, changes };
  reportFigure(`sidebar feed ${name}: changes per second`, changes / seconds, 'changes/s', extra);
  reportFigure(`sidebar feed ${name}: deliveries per second`, expected / seconds, 'msg/s', extra);
  reportFigure(`sidebar feed ${name}: realtime CPU per change`, realtimeMs / changes, 'ms', extra);
  reportFigure(`sidebar feed ${name}: Postgres CPU per change`, postgresMs / changes, 'ms', extra);
  reportFigure(`sidebar feed ${name}: CPU per change`, (realtimeMs + postgresMs) / changes, 'ms', extra);
}

export async function main(): Promise<void> {
  const stack = await startBenchStack(BENCH_REALTIME_LIMITS);
  // synchronous_commit on: a commit reaches the walsender at once, as on a durable server.
  const db = new pg.Pool({
    connectionString: stack.databaseUrl,
    max: USERS,
    options: '-c synchronous_commit=on',
  });
  try {
    const users: { id: string; sessionId: string }[] = [];
    for (let index = 0; index < USERS; index++) {
      const id = `bench-sidebar-${index}`;
      await db.query(
        `insert into better_auth."user" (id, name, email, "emailVerified", "createdAt", "updatedAt")
         values ($1, 'bench', $2, true, now(), now())`,
        [id, `${id}@bench.test`],
      );
      const { rows } = await db.query<{ id: string }>(
        'insert into chat_sessions (user_id) values ($1) returning id',
        [id],
      );
      users.push({ id, sessionId: (rows[0] as { id: string }).id });
    }
    // The bench's own writer.
    await db.query(`
      create procedure bench_touch_session(session uuid, times int) language plpgsql as $$
      begin
        for n in 1..times loop
          update chat_sessions set title = 'Bench ' || n, last_message_at = now(), updated_at = now()
           where id = session;
          commit;
        end loop;
      end $$`);
    // Every pool connection open before the CPU is sampled (a backend that exits takes its CPU with it).
    const held = await Promise.all(Array.from({ length: USERS }, () => db.connect()));
    for (const client of held) client.release();

    await db.query(`
      create function bench_broadcast_changes() returns trigger language plpgsql security definer as $$
      begin
        perform realtime.broadcast_changes('user:' || coalesce(new.user_id, old.user_id) || ':sessions',
          tg_op, tg_op, tg_table_name, tg_table_schema, new, old);
        return null;
      end $$;
      create trigger bench_broadcast_changes_update after update on chat_sessions
        for each row execute function bench_broadcast_changes();`);
    for (const variant of VARIANTS) await runFeed(variant, stack, db, users);
  } finally {
    await db.end();
    await stack.stop();
  }
}

/** This file again in subscriber mode; `line(prefix)` waits for the child to print a line starting with it. */
function childProcess(args: string[]) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--subscribers', ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
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
      if (lines.some((line) => line.startsWith(prefix))) return Promise.resolve(prefix);
      return new Promise((resolve, reject) => {
        waiters.push({ prefix, resolve });
        child.once('exit', (code) => reject(new Error(`subscribers exited with ${code} before "${prefix}"`)));
      });
    },
    kill: () => child.kill(),
  };
}

function joined(channel: RealtimeChannel): Promise<void> {
  return new Promise((resolve, reject) =>
    channel.subscribe((status, error) => {
      if (status === 'SUBSCRIBED') resolve();
      else if (status !== 'CLOSED') reject(new Error(`${channel.topic}: ${status} ${error?.message ?? ''}`));
    }),
  );
}

/** Child mode: 10 tabs per user, each a supabase-js client of its own following that user's sidebar. */
async function subscribers(
  feed: Feed,
  realtimeUrl: string,
  expected: number,
  users: { id: string; token: string }[],
) {
  let deliveries = 0;
  const delivered = () => {
    if (++deliveries === expected) process.stdout.write('done\n');
  };
  for (let tab = 0; tab < TABS_PER_USER; tab++) {
    for (const user of users) {
      const client = createClient(realtimeUrl, DEMO_ANON_KEY, { accessToken: async () => user.token });
      await client.realtime.setAuth();
      const channel =
        feed === 'broadcast'
          ? client
              .channel(userSessionsTopic(user.id), { config: { private: true } })
              .on('broadcast', { event: 'UPDATE' }, delivered)
          : client
              .channel(`sidebar:${user.id}`)
              .on(
                'postgres_changes',
                { event: '*', schema: 'public', table: 'chat_sessions', filter: `user_id=eq.${user.id}` },
                delivered,
              );
      await joined(channel);
    }
  }
  process.stdout.write('ready\n');
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly && process.argv[2] === '--subscribers') {
  await subscribers(
    process.argv[3] as Feed,
    String(process.argv[4]),
    Number(process.argv[5]),
    JSON.parse(String(process.argv[6])),
  );
} else if (invokedDirectly) {
  await main();
  process.exit(0);
}
