import { DEMO_ANON_KEY, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY } from '../../src/env';

/**
 * A Postgres + Supabase Realtime the tests use instead of starting the embedded stack, so a team can prove its
 * own (hosted or self-run) setup with our suites. The keys default to the Supabase CLI's demo ones, which fit
 * `supabase start` and our own embedded stack.
 */
export interface ExternalStack {
  databaseUrl: string;
  /** The project's API URL (https://<ref>.supabase.co, or http://127.0.0.1:54321). */
  realtimeUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  /** Signs the users' realtime tokens the app mints; must be the one the Realtime server verifies with. */
  jwtSecret: string;
}

/** The external stack named by TEST_DATABASE_URL and TEST_SUPABASE_URL, or null to start the embedded one. */
export function externalStackFromEnv(env: NodeJS.ProcessEnv = process.env): ExternalStack | null {
  const databaseUrl = env.TEST_DATABASE_URL?.trim();
  const realtimeUrl = env.TEST_SUPABASE_URL?.trim();
  if (!databaseUrl && !realtimeUrl) return null;
  // Half an external stack would silently test the embedded one against the other half.
  if (!databaseUrl || !realtimeUrl) {
    throw new Error(
      'Set both TEST_DATABASE_URL and TEST_SUPABASE_URL to test against an external stack, or neither.',
    );
  }
  return {
    databaseUrl,
    realtimeUrl: realtimeUrl.replace(/\/+$/, ''),
    anonKey: env.TEST_SUPABASE_ANON_KEY?.trim() || DEMO_ANON_KEY,
    serviceRoleKey: env.TEST_SUPABASE_SERVICE_ROLE_KEY?.trim() || DEMO_SERVICE_ROLE_KEY,
    jwtSecret: env.TEST_SUPABASE_JWT_SECRET?.trim() || DEMO_JWT_SECRET,
  };
}

/**
 * Points the app's configuration at the external stack. Set in the main process before any worker starts, so
 * the workers (which inherit this environment) and the app modules they load (src/env.ts) read the same keys.
 */
export function applyExternalStackKeys(stack: ExternalStack): void {
  process.env.NEXT_PUBLIC_SUPABASE_URL = stack.realtimeUrl;
  process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY = stack.anonKey;
  process.env.SUPABASE_SERVICE_ROLE_KEY = stack.serviceRoleKey;
  process.env.SUPABASE_JWT_SECRET = stack.jwtSecret;
}
