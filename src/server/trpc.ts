import 'server-only';
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError, z } from 'zod';
import { env } from '@/env';
import { type Auth, auth } from './auth';
import { withClientAddress } from './client-address/client-address';
import { type DB, db } from './db';
import { ConflictError, NotAllowedError, NotFoundError, RateLimitedError } from './domain-errors';
import { nulCharacterMessage, pathOfNulCharacter } from './input-safety/nul-character';
import { loggableError, logger } from './observability/logger';
import { requestIdFrom } from './observability/request-id';

export interface Context {
  db: DB;
  auth: Auth;
  headers: Headers;
  /** Set-Cookie headers BetterAuth wants sent back (a refreshed session cookie). */
  resHeaders: Headers;
  session: Awaited<ReturnType<Auth['api']['getSession']>>;
  /** Names this request in logs and in the audit log; echoed as the `x-request-id` response header. */
  requestId: string;
}

/** Builds the context from the request: the BetterAuth session (refreshed cookies copied onto the response). */
export async function createContext(opts: { headers: Headers; resHeaders: Headers }): Promise<Context> {
  // The client's address resolved once, from the socket (src/server/client-address), for BetterAuth calls.
  const headers = withClientAddress(opts.headers);
  const { headers: authHeaders, response: session } = await auth().api.getSession({
    headers,
    returnHeaders: true,
  });
  for (const cookie of authHeaders.getSetCookie()) opts.resHeaders.append('set-cookie', cookie);
  const requestId = requestIdFrom(opts.headers);
  opts.resHeaders.set('x-request-id', requestId);
  return { db: db(), auth: auth(), headers, resHeaders: opts.resHeaders, session, requestId };
}

/** "title: Too big: …; limit: …" — what a person needs to fix their input. */
function describeZodError(error: ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ');
}

const t = initTRPC.context<Context>().create({
  // Dates stay Dates on the client.
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    // An unexpected error's message is ours (or Postgres'), not the client's business: it goes to the log
    // (requestLog) and the client gets a fixed sentence. Only `next dev` shows the real one.
    const hideInternals = error.code === 'INTERNAL_SERVER_ERROR' && env().NODE_ENV !== 'development';
    return {
      ...shape,
      message: hideInternals ? 'Internal server error' : shape.message,
      data: {
        ...shape.data,
        stack: hideInternals ? undefined : shape.data.stack,
        fieldErrors: zodError ? z.flattenError(zodError).fieldErrors : null,
        // A client backs off (and tells its user) from this, not from parsing the message.
        retryAfterSeconds: error.cause instanceof RateLimitedError ? error.cause.retryAfterSeconds : null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * One JSON log line per call: request id, procedure, user id, duration, outcome. Never the input or output,
 * which carry what people wrote; an unexpected error adds its message and stack.
 */
const requestLog = t.middleware(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const result = await next();
  const fields = {
    requestId: ctx.requestId,
    procedure: path,
    type,
    userId: ctx.session?.user.id ?? null,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  };
  if (result.ok) logger().info(fields, 'trpc call');
  else if (result.error.code === 'INTERNAL_SERVER_ERROR') {
    const err = loggableError(result.error.cause ?? result.error);
    logger().error({ ...fields, code: result.error.code, err }, 'trpc call failed');
  } else logger().info({ ...fields, code: result.error.code }, 'trpc call refused');
  return result;
});

/** Services throw domain errors; this maps each to its tRPC code in one place, and words input errors. */
const readableErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof ZodError)
    throw new TRPCError({ code: 'BAD_REQUEST', message: describeZodError(cause), cause });
  if (cause instanceof NotFoundError)
    throw new TRPCError({ code: 'NOT_FOUND', message: cause.message, cause });
  if (cause instanceof ConflictError)
    throw new TRPCError({ code: 'CONFLICT', message: cause.message, cause });
  if (cause instanceof NotAllowedError)
    throw new TRPCError({ code: 'FORBIDDEN', message: cause.message, cause });
  if (cause instanceof RateLimitedError) {
    throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: cause.message, cause });
  }
  return result;
});

/**
 * BetterAuth checks Origin only on /api/auth; cookies ride along on any cross-site POST a browser makes,
 * so every mutation must come from the app's own origin.
 */
const sameOriginMutations = t.middleware(({ type, ctx, next }) => {
  if (type === 'mutation' && ctx.headers.get('origin') !== new URL(env().APP_URL).origin) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Cross-origin request refused' });
  }
  return next();
});

/** A NUL character anywhere in the input is refused before any schema or query sees it (see nul-character.ts). */
const nulFreeInput = t.middleware(async ({ getRawInput, next }) => {
  const path = pathOfNulCharacter(await getRawInput());
  if (path) throw new TRPCError({ code: 'BAD_REQUEST', message: nulCharacterMessage(path) });
  return next();
});

export const publicProcedure = t.procedure
  .use(requestLog)
  .use(readableErrors)
  .use(sameOriginMutations)
  .use(nulFreeInput);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue' });
  return next({ ctx: { ...ctx, user: ctx.session.user, session: ctx.session.session } });
});

/** Roles are BetterAuth admin-plugin roles: a comma-separated list on the user row. */
function hasAdminRole(role: string | null | undefined): boolean {
  return (role ?? '').split(',').some((r) => r.trim() === 'admin');
}

/** Signed in (else UNAUTHORIZED) with role `admin` (else FORBIDDEN), read from the session's fresh user row. */
export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!hasAdminRole(ctx.user.role)) throw new TRPCError({ code: 'FORBIDDEN', message: 'Admins only' });
  return next();
});
