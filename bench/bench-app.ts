// A throwaway stack with the app's server modules bound to it, for benchmarks that call real procedures.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/stack/free-port';
import { startStack } from '../src/stack/start-stack';
import { BENCH_REALTIME_LIMITS } from './bench-realtime-limits';

export async function startBenchApp() {
  const dataRoot = await mkdtemp(path.join(os.tmpdir(), 'chattwelve-bench-'));
  const stack = await startStack({
    dataDir: path.join(dataRoot, 'postgres'),
    pgPort: await freePort(),
    realtimePort: 0,
    durable: false,
    realtimeLimits: BENCH_REALTIME_LIMITS,
  });
  process.env.DATABASE_URL = stack.databaseUrl;
  // Loaded after DATABASE_URL is set: the app reads its environment once per process.
  const { auth } = await import('../src/server/auth');
  const { db } = await import('../src/server/db');
  const { createCaller } = await import('../src/server/router');
  const { createContext } = await import('../src/server/trpc');

  return {
    db,
    /** Signs a user up through BetterAuth; `headers` are what their browser would send. */
    async signUp(email: string, name: string) {
      const { headers, response } = await auth().api.signUpEmail({
        body: { email, password: 'bench-password-1', name },
        returnHeaders: true,
      });
      const cookie = headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      return { id: response.user.id, headers: new Headers({ cookie, origin: 'http://localhost:3000' }) };
    },
    /** A tRPC caller for a request with `headers`, its context built now (session looked up once). */
    async callerFor(headers: Headers) {
      return createCaller(await createContext({ headers, resHeaders: new Headers() }));
    },
    async stop() {
      await db().destroy();
      await stack.stop();
      await rm(dataRoot, { recursive: true, force: true });
    },
  };
}
