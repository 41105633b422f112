import { spawn } from 'node:child_process';
import path from 'node:path';
import { childEnv, type Env, env } from '../env';
import { loadDotEnvFiles } from './dotenv-files';
import { embeddedDatabaseUrl } from './embedded-postgres';
import { projectRoot } from './project-paths';
import { type Stack, startStack } from './start-stack';

const log = (line: string) => process.stdout.write(`[stack] ${line}\n`);

/** Pages a person opens first; in dev each compiles on its first request, so they are asked for up front. */
const FIRST_PAGE = '/sign-in';
const WARM_AFTER_READY = ['/sign-up', '/', '/api/auth/get-session'];

/** Where the launcher itself reaches Next: over loopback when Next listens on every interface. */
function localOrigin(config: Env): string {
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to every process of the group, SIGKILL after 10 s; resolves when none is left. */
async function stopProcessGroup(pgid: number): Promise<void> {
  if (!groupAlive(pgid)) return;
  process.kill(-pgid, 'SIGTERM');
  for (let waited = 0; groupAlive(pgid); waited += 100) {
    if (waited === 10_000) process.kill(-pgid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { redirect: 'manual' });
    await response.arrayBuffer();
    return response.status < 500;
  } catch {
    return false;
  }
}

function pgPort(config: Env): number {
  return Number(new URL(config.DATABASE_URL).port || 54322);
}

async function startEmbeddedStack(config: Env, durable: boolean, startedAt: number): Promise<Stack> {
  const stack = await startStack({
    pgPort: pgPort(config),
    realtimePort: Number(new URL(config.NEXT_PUBLIC_SUPABASE_URL).port || 54321),
    realtimeHost: config.HOST,
    realtimeTrustedProxies: config.TRUSTED_PROXIES,
    realtimeDeleteEvents: config.REALTIME_DELETE_EVENTS,
    jwtSecret: config.SUPABASE_JWT_SECRET,
    durable,
    supervisedRealtime: true,
    onDatabaseReady: (databaseUrl) => {
      log(`Postgres 17 ready at ${databaseUrl}, ${Math.round(performance.now() - startedAt)} ms`);
    },
    log: (line) => {
      // Postgres logs every replication command at LOG level; a person needs its problems only.
      if (!/^\d{4}-\d\d-\d\d .*UTC \[\d+\] LOG: /.test(line) || /WARNING|ERROR|FATAL|PANIC/.test(line))
        log(line);
    },
    ...(config.EMBEDDED_DATA_DIR ? { dataDir: config.EMBEDDED_DATA_DIR } : {}),
  });
  const elapsed = Math.round(performance.now() - startedAt);
  log(
    `Realtime ready at ${stack.realtimeUrl} (supervised: restarted if it dies), ${elapsed} ms; data in ${stack.dataDir}`,
  );
  return stack;
}

/**
 * `npm run dev` (mode dev) and `npm start` (mode start, a production build): the embedded stack unless
 * EMBEDDED_STACK=false, then Next on HOST:PORT. "ready" is printed once the first page answers. SIGINT or
 * SIGTERM stops Next, then realtime, then Postgres; nothing is left running.
 */
export async function launchApp(mode: 'dev' | 'start'): Promise<void> {
  const startedAt = performance.now();
  loadDotEnvFiles(mode === 'dev');
  let config: Env;
  try {
    config = env();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }

  let stack: Stack | null = null;
  let next: ReturnType<typeof spawn> | null = null;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (next?.pid) await stopProcessGroup(next.pid);
    await stack?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const startNext = (databaseUrl?: string) => {
    next = spawn(
      process.execPath,
      [
        path.join(projectRoot, 'node_modules/next/dist/bin/next'),
        mode,
        '--port',
        String(config.PORT),
        '--hostname',
        config.HOST,
      ],
      {
        cwd: projectRoot,
        stdio: ['ignore', 'inherit', 'inherit'],
        // Its own process group, stopped as a whole: `next` runs the app in a child process (next-server),
        // which must be gone before Postgres stops under it.
        detached: true,
        env: childEnv({
          NEXT_TELEMETRY_DISABLED: '1',
          NODE_ENV: mode === 'dev' ? 'development' : 'production',
          APP_URL: config.APP_URL,
          ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        }),
      },
    );
    next.on('exit', (code) => void stop(code ?? 0));
  };

  const origin = localOrigin(config);
  const firstPageAnswers = async () => {
    while (!stopping && !(await answers(`${origin}${FIRST_PAGE}`))) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  if (config.EMBEDDED_STACK) {
    // Next boots and compiles the first page (it reads no table without a session cookie) while Postgres
    // and realtime start; its chat engine waits for the database (src/instrumentation-node.ts).
    startNext(embeddedDatabaseUrl(pgPort(config)));
    void firstPageAnswers();
    try {
      stack = await startEmbeddedStack(config, mode === 'start', startedAt);
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
      await stop(1);
      return;
    }
  } else {
    log('EMBEDDED_STACK=false: using DATABASE_URL and NEXT_PUBLIC_SUPABASE_URL as configured');
    startNext();
  }
  if (stopping) return;

  // Ready means a person can use it: the stack is up and the first page answers.
  await firstPageAnswers();
  if (stopping) return;
  log(`ready in ${Math.round(performance.now() - startedAt)} ms: open ${config.APP_URL}`);
  // The next pages a new user opens, compiled (dev) or loaded (start) before they get there.
  for (const page of WARM_AFTER_READY) await answers(`${origin}${page}`);
}
