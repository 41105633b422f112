import { afterAll, describe, expect, it } from 'vitest';
import { GET, POST } from '@/app/api/trpc/[trpc]/route';
import { adminDb } from '../helpers/database';
import { APP_ORIGIN, signUpUser } from '../helpers/users';

const db = adminDb();
afterAll(() => db.destroy());

/** A request as the browser's tRPC client sends it (no batching, superjson input). */
function trpcRequest(procedure: string, headers: Headers, input?: unknown, method: 'GET' | 'POST' = 'GET') {
  const encoded = encodeURIComponent(JSON.stringify({ json: input }));
  const url = `${APP_ORIGIN}/api/trpc/${procedure}${method === 'GET' ? `?input=${encoded}` : ''}`;
  return new Request(url, {
    method,
    headers: { ...Object.fromEntries(headers), 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: JSON.stringify({ json: input }) } : {}),
  });
}

describe('tRPC over HTTP at /api/trpc', () => {
  it('answers 400 with a readable message and per-field errors for bad input', async () => {
    const user = await signUpUser();
    const response = await POST(trpcRequest('sessions.rename', user.headers, { id: 'x', title: '' }, 'POST'));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.json.message).toBe('id: Invalid session id; title: Title is empty');
    expect(body.error.json.data.fieldErrors).toEqual({
      id: ['Invalid session id'],
      title: ['Title is empty'],
    });
  });

  it('answers 401 without a session and 403 for a cross-site mutation', async () => {
    const anonymous = await GET(trpcRequest('sessions.list', new Headers({ origin: APP_ORIGIN }), {}));
    expect(anonymous.status).toBe(401);
    const user = await signUpUser();
    const crossSite = new Headers(user.headers);
    crossSite.set('origin', 'https://evil.example');
    expect((await POST(trpcRequest('sessions.create', crossSite, {}, 'POST'))).status).toBe(403);
  });

  it('sends a refreshed session cookie back to the browser', async () => {
    const user = await signUpUser();
    // A session past BetterAuth's update age (1 day before its 7-day expiry) is extended on use.
    await db
      .withSchema('better_auth')
      .updateTable('session' as never)
      .set({ expiresAt: new Date(Date.now() + 2 * 24 * 3600 * 1000) } as never)
      .where('userId' as never, '=', user.id as never)
      .execute();
    const response = await GET(trpcRequest('sessions.list', user.headers, {}));
    expect(response.status).toBe(200);
    const refreshed = response.headers.getSetCookie().find((c) => c.includes('session_token='));
    expect(refreshed).toBeDefined();
    const maxAge = Number(/Max-Age=(\d+)/i.exec(refreshed ?? '')?.[1]);
    expect(maxAge).toBeGreaterThan(6 * 24 * 3600);
  });
});
