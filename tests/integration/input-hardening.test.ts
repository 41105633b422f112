import http from 'node:http';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { getPathMatch } from 'next/dist/shared/lib/router/utils/path-match';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as authPost } from '@/app/api/auth/[...all]/route';
import { GET as trpcGet, POST as trpcPost } from '@/app/api/trpc/[trpc]/route';
import { encodeCursor } from '@/server/pagination/keyset-cursor';
import { createContext, publicProcedure, router } from '@/server/trpc';
import nextConfig from '../../next.config';
import { signUpAdmin } from '../helpers/admins';
import { adminDb } from '../helpers/database';
import { type RouteServer, requestFrom, startRouteServer } from '../helpers/route-server';
import { expectTrpcError } from '../helpers/trpc-errors';
import { APP_ORIGIN, callerFor, signUpUser, type TestUser } from '../helpers/users';

/** A procedure that fails the way a query does when Postgres refuses it, words and all. */
const failingRouter = router({
  leaky: publicProcedure.query(() => {
    throw new Error('duplicate key value violates unique constraint "better_auth_secret_idx"');
  }),
});

let server: RouteServer;
let user: TestUser;
const db = adminDb();

beforeAll(async () => {
  server = await startRouteServer({
    '/api/auth/': (request) => authPost(request),
    '/api/trpc/': (request) => (request.method === 'GET' ? trpcGet(request) : trpcPost(request)),
    '/failing/': (request) =>
      fetchRequestHandler({
        endpoint: '/failing',
        req: request,
        router: failingRouter,
        createContext: ({ resHeaders }) => createContext({ headers: request.headers, resHeaders }),
      }),
  });
  user = await signUpUser();
});
afterAll(async () => {
  await server.close();
  await db.destroy();
});

function trpcMutation(path: string, input: unknown, headers: Headers = user.headers) {
  return requestFrom('127.0.0.1', `${server.url}/api/trpc/${path}`, {
    method: 'POST',
    headers: { ...Object.fromEntries(headers), 'content-type': 'application/json' },
    body: JSON.stringify({ json: input }),
  });
}

function errorOf(text: string): { message: string; data: { code: string; stack?: string } } {
  return (
    JSON.parse(text) as { error: { json: { message: string; data: { code: string; stack?: string } } } }
  ).error.json;
}

describe('NUL characters', () => {
  it('are refused as BAD_REQUEST naming the field, in every procedure, before Postgres sees them', async () => {
    const prompt = await trpcMutation('prompts.create', { name: 'evil\u0000name', content: 'fine' });
    expect(prompt.status).toBe(400);
    expect(errorOf(prompt.text).message).toBe('name: must not contain the NUL character (\\u0000)');

    const api = await callerFor(user.headers);
    await expectTrpcError(api.sessions.create({ title: 'a\u0000b' }), 'BAD_REQUEST', /^title: /);
    await expectTrpcError(api.sessions.list({ search: '\u0000' }), 'BAD_REQUEST', /^search: /);
    await expectTrpcError(
      api.chat.send({ clientMessageId: 'nul-client-id', content: 'hello\u0000' }),
      'BAD_REQUEST',
      /^content: /,
    );
    await expectTrpcError(api.profile.update({ displayName: '\u0000' }), 'BAD_REQUEST', /^displayName: /);
  });

  it('are refused by the auth endpoints too', async () => {
    const response = await requestFrom('127.0.0.1', `${server.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: APP_ORIGIN },
      body: JSON.stringify({ email: 'nul@example.test', password: 'password-123', name: 'Null\u0000Byte' }),
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({
      message: 'body.name: must not contain the NUL character (\\u0000)',
    });
  });
});

describe('keyset cursors', () => {
  const odd = [
    '2020-02-31',
    '+275760-09-13T00:00:00.000Z',
    '2020-02-31 00:00:00+00',
    '2026-01-01 25:00:00+00',
  ];

  it('refuse a timestamp Postgres would choke on as BAD_REQUEST, not a 500', async () => {
    const api = await callerFor(user.headers);
    const session = await api.sessions.create({ title: 'paged' });
    for (const at of odd) {
      const cursor = encodeCursor({ at, id: session.id });
      await expectTrpcError(api.sessions.list({ cursor }), 'BAD_REQUEST', /^cursor: Invalid cursor$/);
      await expectTrpcError(
        api.messages.list({ sessionId: session.id, cursor }),
        'BAD_REQUEST',
        /^cursor: Invalid cursor$/,
      );
    }
    const response = await requestFrom(
      '127.0.0.1',
      `${server.url}/api/trpc/sessions.list?input=${encodeURIComponent(
        JSON.stringify({ json: { cursor: encodeCursor({ at: odd[1] ?? '', id: session.id }) } }),
      )}`,
      { headers: Object.fromEntries(user.headers) },
    );
    expect(response.status).toBe(400);
  });

  it('refuse an audit log cursor whose id is not a number, and a user cursor with a NUL in its id', async () => {
    const admin = await signUpAdmin(db);
    const api = await callerFor(admin.headers);
    await expectTrpcError(
      api.admin.auditLog({ cursor: encodeCursor({ at: '2026-01-01 00:00:00+00', id: 'abc' }) }),
      'BAD_REQUEST',
      /cursor/,
    );
    await expectTrpcError(
      api.admin.users({ cursor: encodeCursor({ at: '2026-01-01 00:00:00+00', id: 'a\u0000b' }) }),
      'BAD_REQUEST',
      /cursor/,
    );
  });
});

describe('unexpected errors', () => {
  it("answer with a fixed sentence, never the server's or Postgres' own words or a stack", async () => {
    const response = await requestFrom('127.0.0.1', `${server.url}/failing/leaky`);
    expect(response.status).toBe(500);
    const error = errorOf(response.text);
    expect(error.message).toBe('Internal server error');
    expect(error.data.code).toBe('INTERNAL_SERVER_ERROR');
    expect(error.data.stack ?? null).toBeNull();
    expect(response.text).not.toContain('better_auth_secret_idx');
  });
});

describe('request bodies', () => {
  it('are refused with 413 from the declared length, before a byte of a 50 MB body is read', async () => {
    const response = await new Promise<{ status: number; bodyBytesSent: number }>((resolve, reject) => {
      const req = http.request(`${server.url}/api/trpc/prompts.create`, {
        method: 'POST',
        headers: {
          ...Object.fromEntries(user.headers),
          'content-type': 'application/json',
          'content-length': String(50 * 1024 * 1024),
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, bodyBytesSent: 0 });
        req.destroy();
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(response.status).toBe(413);
  });

  it('stop reading a chunked body (no declared length) soon after the cap, with 413', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const { status, sent } = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      let answered = false;
      const req = http.request(`${server.url}/api/trpc/prompts.create`, {
        method: 'POST',
        headers: { ...Object.fromEntries(user.headers), 'content-type': 'application/json' },
      });
      req.on('response', (res) => {
        answered = true;
        res.resume();
        resolve({ status: res.statusCode ?? 0, sent });
        req.destroy();
      });
      req.on('error', (error) => (answered ? undefined : reject(error)));
      const pump = () => {
        while (!answered && sent < 50 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!answered) req.end();
      };
      pump();
    });
    expect(status).toBe(413);
    // 1 MiB allowed; what was in flight in socket buffers when the answer came is all that was sent beyond it.
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });

  it('within the cap pass as before', async () => {
    const created = await trpcMutation('prompts.create', { name: 'normal', content: 'x'.repeat(19_000) });
    expect(created.status).toBe(200);
  });
});

describe('twoFactor.disable over HTTP', () => {
  it('answers a wrong code with 403, not 500', async () => {
    const response = await trpcMutation('twoFactor.disable', { password: user.password, code: '000000' });
    // Two-factor is not even on: still a refusal, never an internal error.
    expect([400, 403]).toContain(response.status);
    expect(errorOf(response.text).data.code).not.toBe('INTERNAL_SERVER_ERROR');
  });
});

describe('the avatar route headers', () => {
  it("end with the route's own sandboxing CSP, which no global rule overrides", async () => {
    const rules = (await nextConfig.headers?.()) ?? [];
    const cspFor = (path: string) =>
      rules
        .filter((rule) => getPathMatch(rule.source)(path) !== false)
        .flatMap((rule) => rule.headers.filter((h) => h.key.toLowerCase() === 'content-security-policy'))
        .map((h) => h.value)
        .at(-1);
    expect(cspFor('/api/avatars/some-user-id')).toBe("default-src 'none'; sandbox");
    expect(cspFor('/')).toMatch(/^default-src 'self'/);
    expect(cspFor('/api/avatars')).toMatch(/^default-src 'self'/);
  });
});
