import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * The only module that reads process.env. Defaults are the Supabase CLI's local ones, so `npm run dev`
 * needs no .env and the same file serves `supabase start`. Production refuses the well-known demo secrets.
 */
export const DEMO_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
export const DEMO_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
export const DEMO_SERVICE_ROLE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';
export const DEMO_BETTER_AUTH_SECRET = 'chattwelve-local-development-secret-change-me';

/**
 * Why a TRUSTED_PROXIES entry cannot be used, or null. A typo must not silently trust nobody (every client
 * then shares the proxy's address), and a range holding every address would let any client choose its own.
 */
function trustedProxyProblem(entry: string): string | null {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return 'is not an IP address or CIDR range';
  if (prefix === undefined) return null;
  const bits = Number(prefix);
  const maxBits = family === 4 ? 32 : 128;
  if (!/^\d+$/.test(prefix) || bits > maxBits) return 'has an invalid prefix length';
  if (bits < (family === 4 ? 8 : 16)) return 'trusts so many addresses that any client could name its own';
  return null;
}

const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    /** Port of the Next server (`npm run dev`, `npm start`). */
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    /** Interface the launchers bind Next and the realtime server to; loopback unless told (0.0.0.0 = all). */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** The app's public URL; unset: http://localhost:<PORT>, so moving the port moves the allowed Origin. */
    APP_URL: z.url().optional(),
    DATABASE_URL: z.string().min(1).default('postgresql://postgres:postgres@127.0.0.1:54322/postgres'),
    /** `npm run dev` starts the embedded Postgres + realtime server unless this is false (hosted Supabase). */
    EMBEDDED_STACK: flag.default(true),
    EMBEDDED_DATA_DIR: z.string().optional(),
    NEXT_PUBLIC_SUPABASE_URL: z.url().default('http://127.0.0.1:54321'),
    NEXT_PUBLIC_SUPABASE_ANON_KEY: z.string().min(1).default(DEMO_ANON_KEY),
    SUPABASE_SERVICE_ROLE_KEY: z.string().min(1).default(DEMO_SERVICE_ROLE_KEY),
    SUPABASE_JWT_SECRET: z.string().min(32).default(DEMO_JWT_SECRET),
    BETTER_AUTH_SECRET: z.string().min(32).default(DEMO_BETTER_AUTH_SECRET),
    AI_BASE_URL: z.url().optional(),
    AI_API_KEY: z.string().optional(),
    AI_MODELS: z.string().optional(),
    OPENAI_API_KEY: z.string().optional(),
    ANTHROPIC_API_KEY: z.string().optional(),
    CHAT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(20),
    /** Model ids offered when OPENAI_API_KEY / ANTHROPIC_API_KEY are set (comma-separated; first = default). */
    OPENAI_MODELS: z.string().default('gpt-4.1-mini,gpt-4.1'),
    ANTHROPIC_MODELS: z.string().default('claude-sonnet-4-5,claude-haiku-4-5'),
    /** Chat engine: deltas are coalesced this long after the first one (ms). */
    CHAT_DELTA_COALESCE_MS: z.coerce.number().int().min(0).default(100),
    /** Chat engine: streamed text is checkpointed to the row about this often (ms). */
    CHAT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().positive().default(1000),
    /** Chat engine: a streaming reply whose runner has not renewed its lease this long is orphaned (s). */
    CHAT_REPLY_LEASE_SECONDS: z.coerce.number().int().positive().default(30),
    /** Chat engine: a provider silent this long (before or between tokens) fails the reply (ms). */
    CHAT_PROVIDER_STALL_MS: z.coerce.number().int().positive().default(60000),
    /** Chat engine: history sent to the model is cut, oldest first, to about this many tokens. */
    CHAT_HISTORY_TOKEN_BUDGET: z.coerce.number().int().positive().default(8000),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** Outgoing mail (password reset): `smtp://user:pass@host:587` or `smtps://…:465`. Unset: dev mailbox. */
    SMTP_URL: z.url().optional(),
    MAIL_FROM: z.string().min(3).default('ChatTwelve <no-reply@localhost>'),
    /**
     * Realtime DELETE events on RLS tables: `strict` (default) sends a deleted row only to subscribers its
     * SELECT policies let read it (REPLICA IDENTITY FULL); `supabase` behaves as hosted Supabase (every
     * subscriber of the table gets the primary key).
     */
    REALTIME_DELETE_EVENTS: z.enum(['strict', 'supabase']).default('strict'),
    /**
     * Proxies in front of the app (comma-separated IPs or CIDRs). Unset: the client is the socket's peer and
     * x-forwarded-for is ignored. Set: a request from one of them is attributed to the right-most hop of its
     * x-forwarded-for that is not one of them (src/server/client-address).
     */
    TRUSTED_PROXIES: z
      .string()
      .default('')
      .transform((list) =>
        list
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      .superRefine((entries, ctx) => {
        for (const entry of entries) {
          const problem = trustedProxyProblem(entry);
          if (problem) ctx.addIssue({ code: 'custom', message: `"${entry}" ${problem}` });
        }
      }),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    const demo: [keyof typeof env, string][] = [
      ['SUPABASE_JWT_SECRET', DEMO_JWT_SECRET],
      ['NEXT_PUBLIC_SUPABASE_ANON_KEY', DEMO_ANON_KEY],
      ['SUPABASE_SERVICE_ROLE_KEY', DEMO_SERVICE_ROLE_KEY],
      ['BETTER_AUTH_SECRET', DEMO_BETTER_AUTH_SECRET],
    ];
    for (const [key, value] of demo) {
      if (env[key] === value) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} is the public demo value; set a real secret (\`npm run secrets:generate\` prints a fresh set)`,
        });
      }
    }
  })
  .transform((env) => ({ ...env, APP_URL: env.APP_URL ?? `http://localhost:${env.PORT}` }));

export type Env = z.infer<typeof schema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty line in .env (`AI_BASE_URL=`) means "not set".
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

let cached: Env | undefined;

/** The validated environment of this process (parsed once, on first use). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** The environment for a child process: this one's, with overrides. */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
