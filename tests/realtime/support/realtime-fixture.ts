import { randomUUID } from 'node:crypto';
import type { RealtimePostgresChangesPayload } from '@supabase/supabase-js';
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import { SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { DEMO_ANON_KEY, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY } from '@/env';
import { externalStackFromEnv } from '../../helpers/external-stack';

/** A postgres_changes event as the tests read it (supabase-js types `new`/`old` as `{} | Record`). */
export type Change = RealtimePostgresChangesPayload<Record<string, unknown>> & {
  new: Record<string, unknown>;
  old: Record<string, unknown>;
};

// The shared stack's keys: the demo ones, or an external stack's (TEST_SUPABASE_URL, tests/helpers/external-stack.ts).
const external = externalStackFromEnv();
export const ANON_KEY = external?.anonKey ?? DEMO_ANON_KEY;
export const SERVICE_ROLE_KEY = external?.serviceRoleKey ?? DEMO_SERVICE_ROLE_KEY;
const JWT_SECRET = external?.jwtSecret ?? DEMO_JWT_SECRET;

export function realtimeUrl(): string {
  return inject('realtimeUrl');
}

/** The server-side connection (the backend's "service" path): arranges rows, bypassing RLS. */
export function serviceDatabase(): pg.Pool {
  // The test stack runs with synchronous_commit off, where a commit reaches the WAL stream only on the WAL
  // writer's 200 ms tick; flushing at commit (as a durable server does) keeps the tests quick.
  const pool = new pg.Pool({
    connectionString: inject('databaseUrl'),
    max: 3,
    options: '-c synchronous_commit=on',
  });
  afterAll(() => pool.end());
  return pool;
}

/** A user is only a JWT `sub` to the realtime server: a fresh id, nothing stored. */
export function newUser(): string {
  return `rt-${randomUUID()}`;
}

/** How long `userToken` lives: longer than any test, as a client's token would be renewed before its expiry. */
const TOKEN_LIFETIME_SECONDS = 10 * 60;

/** A token for `userId`, shaped as Supabase Auth issues them: the claims RLS reads, signed with the JWT secret. */
export function userToken(userId: string): Promise<string> {
  return shortLivedToken(userId, TOKEN_LIFETIME_SECONDS);
}

/** A token for `userId` that expires `seconds` from now (tests of expiry). */
export async function shortLivedToken(userId: string, seconds: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: 'authenticated', sub: userId, aud: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + seconds)
    .sign(new TextEncoder().encode(JWT_SECRET));
}

export interface ClientSetup {
  /** Returned by supabase-js's `accessToken` option; absent = the key itself is the identity. */
  token?: () => Promise<string | null>;
  key?: string;
  vsn?: '1.0.0' | '2.0.0';
}

const openClients: SupabaseClient[] = [];
afterAll(async () => {
  for (const client of openClients.splice(0)) {
    await client.removeAllChannels();
    client.realtime.disconnect();
  }
});

/** The real supabase-js, pointed at our realtime server exactly as the browser would be. */
export function supabaseClient(setup: ClientSetup = {}): SupabaseClient {
  const client = createClient(realtimeUrl(), setup.key ?? ANON_KEY, {
    ...(setup.token ? { accessToken: setup.token } : {}),
    realtime: setup.vsn ? { vsn: setup.vsn } : {},
  });
  openClients.push(client);
  return client;
}

/**
 * A client whose realtime identity is `token`. Like the app's browser helper it waits for the token before
 * anything subscribes: supabase-js sends a join made earlier with the anon key only.
 */
export async function clientFor(token: string, vsn?: '1.0.0' | '2.0.0'): Promise<SupabaseClient> {
  const client = supabaseClient({ token: async () => token, vsn });
  await client.realtime.setAuth();
  return client;
}

/** Every frame the client's socket decodes (to check what supabase-js hides, like `columns`). */
export function onRawMessage(
  client: SupabaseClient,
  listener: (message: { event: string; payload: unknown }) => void,
) {
  (
    client.realtime as unknown as { socketAdapter: { onMessage(fn: typeof listener): void } }
  ).socketAdapter.onMessage(listener);
}

/** Subscribes and resolves on SUBSCRIBED; rejects on the first error status (never retried silently). */
export function subscribed(channel: RealtimeChannel): Promise<RealtimeChannel> {
  return new Promise((resolve, reject) => {
    channel.subscribe((status, error) => {
      if (status === 'SUBSCRIBED') resolve(channel);
      else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT' || status === 'CLOSED') {
        reject(new Error(`${status}: ${error?.message ?? ''}`));
      }
    });
  });
}

/** Resolves with the subscribe callback's first error status and message (joins expected to fail). */
export function refused(channel: RealtimeChannel): Promise<{ status: string; message: string }> {
  return new Promise((resolve) => {
    channel.subscribe((status, error) => {
      if (status !== 'SUBSCRIBED') resolve({ status, message: error?.message ?? '' });
    });
  });
}

/** Breaks the client's socket as a network drop would; supabase-js reconnects and rejoins by itself. */
export function dropConnection(client: SupabaseClient): void {
  const adapter = (client.realtime as unknown as { socketAdapter: { socket: { conn: WebSocket | null } } })
    .socketAdapter;
  adapter.socket.conn?.close(4000, 'test: connection dropped');
}
