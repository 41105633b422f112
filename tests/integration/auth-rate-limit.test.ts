import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '@/server/auth';
import { withClientAddress } from '@/server/client-address/client-address';
import { adminDb } from '../helpers/database';
import { type RouteServer, requestFrom, startRouteServer } from '../helpers/route-server';
import { APP_ORIGIN, signUpUser } from '../helpers/users';

/** The auth endpoints as production runs them: rate limited, counts in Postgres, behind a real socket. */
const limitedAuth = createAuth({ rateLimit: true });
let server: RouteServer;

beforeAll(async () => {
  server = await startRouteServer({
    '/api/auth/': (request) =>
      limitedAuth.handler(new Request(request, { headers: withClientAddress(request.headers, []) })),
  });
});
afterAll(() => server.close());

async function signIn(email: string, password: string, clientIp: string) {
  const response = await requestFrom(clientIp, `${server.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: APP_ORIGIN },
    body: JSON.stringify({ email, password }),
  });
  return { status: response.status, retryAfter: response.headers['x-retry-after'] };
}

/** A loopback address no other test uses (all of 127.0.0.0/8 is loopback), so counts start at zero. */
function freshIp(): string {
  const bytes = randomUUID().replaceAll('-', '');
  return `127.${Number.parseInt(bytes.slice(0, 2), 16)}.${Number.parseInt(bytes.slice(2, 4), 16)}.${
    (Number.parseInt(bytes.slice(4, 6), 16) % 250) + 2
  }`;
}

describe('auth rate limiting', () => {
  it('refuses the fourth sign-in attempt from one address within 10 s, counted in Postgres, and not another address', async () => {
    const user = await signUpUser();
    const attacker = freshIp();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++)
      statuses.push((await signIn(user.email, 'guess-123', attacker)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);

    const refused = await signIn(user.email, user.password, attacker);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);

    expect((await signIn(user.email, user.password, freshIp())).status).toBe(200);

    const db = adminDb();
    try {
      const counters = await db
        .withTables<{ 'better_auth.rateLimit': { key: string; count: number } }>()
        .selectFrom('better_auth.rateLimit')
        .select(['key', 'count'])
        .where('key', 'like', `${attacker}|%`)
        .execute();
      expect(counters).toEqual([{ key: expect.stringContaining('/sign-in/email'), count: 3 }]);
    } finally {
      await db.destroy();
    }
  });
});
