import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAuth } from '@/server/auth';
import { adminDb } from '../helpers/database';
import { APP_ORIGIN, signUpUser } from '../helpers/users';

/** The auth endpoints as production runs them: rate limited, counts in Postgres. */
const limitedAuth = createAuth({ rateLimit: true });

function signIn(email: string, password: string, clientIp: string) {
  return limitedAuth.handler(
    new Request(`${APP_ORIGIN}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: APP_ORIGIN, 'x-forwarded-for': clientIp },
      body: JSON.stringify({ email, password }),
    }),
  );
}

/** A documentation-range address no other test uses, so counts start at zero. */
function freshIp(): string {
  const bytes = randomUUID().replaceAll('-', '');
  return `198.51.${Number.parseInt(bytes.slice(0, 2), 16)}.${Number.parseInt(bytes.slice(2, 4), 16)}`;
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
    expect(Number(refused.headers.get('x-retry-after'))).toBeGreaterThan(0);

    expect((await signIn(user.email, user.password, freshIp())).status).toBe(200);

    const db = adminDb();
    try {
      const counters = await db
        .withTables<{ 'better_auth.rateLimit': { key: string; count: number } }>()
        .selectFrom('better_auth.rateLimit')
        .select(['key', 'count'])
        .where('key', 'like', `%${attacker}%`)
        .execute();
      expect(counters).toEqual([{ key: expect.stringContaining('/sign-in/email'), count: 3 }]);
    } finally {
      await db.destroy();
    }
  });
});
