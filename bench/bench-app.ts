// A throwaway stack with the app's server modules bound to it, for benchmarks that call real procedures.
import { BENCH_REALTIME_LIMITS } from './bench-realtime-limits';
import { startBenchStack } from './bench-stack';

export async function startBenchApp() {
  const stack = await startBenchStack(BENCH_REALTIME_LIMITS);
  process.env.DATABASE_URL = stack.databaseUrl;
  process.env.NEXT_PUBLIC_SUPABASE_URL = stack.realtimeUrl;
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
    },
  };
}
