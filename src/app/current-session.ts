import 'server-only';
import { headers } from 'next/headers';
import { createCaller } from '@/server/router';
import { type Context, createContext } from '@/server/trpc';

/** The request's BetterAuth session (null when signed out) and a tRPC caller acting as that user. */
export async function currentSession(): Promise<{ ctx: Context; caller: ReturnType<typeof createCaller> }> {
  const ctx = await createContext({ headers: await headers(), resHeaders: new Headers() });
  return { ctx, caller: createCaller(ctx) };
}
