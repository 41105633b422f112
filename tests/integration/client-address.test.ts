import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { createAuth } from '@/server/auth';
import { CLIENT_ADDRESS_HEADER, withClientAddress } from '@/server/client-address/client-address';
import { PEER_ADDRESS_HEADER } from '@/server/client-address/peer-address';
import { undeclaredProxy } from '@/server/client-address/undeclared-proxy';
import { backOffSeconds, MAX_BACK_OFF_SECONDS } from '@/server/sign-in-throttle/sign-in-throttle.service';
import { adminDb } from '../helpers/database';
import { type RouteServer, requestFrom, startRouteServer } from '../helpers/route-server';
import { APP_ORIGIN, signUpUser } from '../helpers/users';

/** The auth endpoints as production runs them (rate limited, counts in Postgres), behind a real socket. */
const limitedAuth = createAuth({ rateLimit: true });
/** A proxy in front of the app, as an operator would list it in TRUSTED_PROXIES. */
const PROXY = '127.0.0.9';

let direct: RouteServer;
let behindProxy: RouteServer;
const db = adminDb();

beforeAll(async () => {
  // The auth route's own steps, with TRUSTED_PROXIES unset and set.
  direct = await startRouteServer({
    '/api/auth/': (request) =>
      limitedAuth.handler(new Request(request, { headers: withClientAddress(request.headers, []) })),
  });
  behindProxy = await startRouteServer({
    '/api/auth/': (request) =>
      limitedAuth.handler(new Request(request, { headers: withClientAddress(request.headers, [PROXY]) })),
  });
});
afterAll(async () => {
  await direct.close();
  await behindProxy.close();
  await db.destroy();
});

/** A loopback address no other test uses (127.0.0.0/8 is all loopback on Linux). */
function freshLoopback(): string {
  const bytes = randomUUID().replaceAll('-', '');
  return `127.${Number.parseInt(bytes.slice(0, 2), 16)}.${Number.parseInt(bytes.slice(2, 4), 16)}.${
    (Number.parseInt(bytes.slice(4, 6), 16) % 250) + 2
  }`;
}

function fakeIp(): string {
  const bytes = randomUUID().replaceAll('-', '');
  return `203.0.${Number.parseInt(bytes.slice(0, 2), 16)}.${Number.parseInt(bytes.slice(2, 4), 16)}`;
}

async function signIn(
  server: RouteServer,
  from: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
) {
  const response = await requestFrom(from, `${server.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: APP_ORIGIN, ...headers },
    body: JSON.stringify({ email, password }),
  });
  return response;
}

async function rateLimitKeysFor(address: string): Promise<string[]> {
  const rows = await db
    .withTables<{ 'better_auth.rateLimit': { key: string } }>()
    .selectFrom('better_auth.rateLimit')
    .select('key')
    .where('key', 'like', `${address}|%`)
    .execute();
  return rows.map((row) => row.key);
}

describe('the client address behind rate limits', () => {
  it('comes from the socket: 60 wrong passwords with a fresh fake X-Forwarded-For each are refused from the fourth', async () => {
    const user = await signUpUser();
    const attacker = freshLoopback();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 60; attempt++) {
      const forged = {
        'x-forwarded-for': fakeIp(),
        [CLIENT_ADDRESS_HEADER]: fakeIp(),
        'x-chattwelve-peer-address': fakeIp(),
      };
      statuses.push((await signIn(direct, attacker, user.email, `guess-${attempt}`, forged)).status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(new Set(statuses.slice(3))).toEqual(new Set([429]));
    expect(await rateLimitKeysFor(attacker)).toEqual([`${attacker}|/sign-in/email`]);

    // Another client (another socket address) is not affected by the attacker's bucket.
    expect((await signIn(direct, freshLoopback(), user.email, user.password)).status).toBe(200);
  });

  it('behind a trusted proxy is the hop that proxy appended: clients get their own buckets, forged hops count for nothing', async () => {
    const user = await signUpUser();
    const attacker = fakeIp();
    const bystander = fakeIp();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      // The attacker writes its own X-Forwarded-For; the proxy appends the address it saw.
      const xff = `${fakeIp()}, ${attacker}`;
      statuses.push(
        (await signIn(behindProxy, PROXY, user.email, 'wrong-guess', { 'x-forwarded-for': xff })).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    expect(await rateLimitKeysFor(attacker)).toEqual([`${attacker}|/sign-in/email`]);
    expect(await rateLimitKeysFor('no-trusted-ip')).toEqual([]);

    const signedIn = await signIn(behindProxy, PROXY, user.email, user.password, {
      'x-forwarded-for': bystander,
    });
    expect(signedIn.status).toBe(200);
    // A client that is not the proxy cannot pose as one: its X-Forwarded-For is ignored.
    const notProxy = freshLoopback();
    await signIn(behindProxy, notProxy, user.email, 'wrong', { 'x-forwarded-for': fakeIp() });
    expect(await rateLimitKeysFor(notProxy)).toEqual([`${notProxy}|/sign-in/email`]);
  });
});

describe('per-account failed sign-in back-off', () => {
  it('refuses the sixth wrong password for one account from six different addresses, then lets the right one in once the wait is over', async () => {
    const user = await signUpUser();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      statuses.push((await signIn(direct, freshLoopback(), user.email, `guess-${attempt}`)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const refused = await signIn(direct, freshLoopback(), user.email, user.password);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['x-retry-after'])).toBeGreaterThan(0);

    // No lockout: once the (short) wait is over the owner's password works, and the count starts again.
    await expect
      .poll(async () => (await signIn(direct, freshLoopback(), user.email, user.password)).status, {
        timeout: 15_000,
        interval: 300,
      })
      .toBe(200);
    const failures = await db
      .selectFrom('sign_in_failures')
      .select('failures')
      .where('email', '=', user.email.toLowerCase())
      .execute();
    expect(failures).toEqual([]);
  });

  it('answers an unknown address exactly as a known one', async () => {
    const email = `nobody-${randomUUID()}@example.test`;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      statuses.push((await signIn(direct, freshLoopback(), email, `guess-${attempt}`)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('never waits longer than a few minutes, however many failures an attacker piles up', async () => {
    expect(backOffSeconds(4)).toBe(0);
    expect(backOffSeconds(5)).toBe(5);
    expect(backOffSeconds(7)).toBe(20);
    expect(backOffSeconds(10_000)).toBe(MAX_BACK_OFF_SECONDS);
    expect(MAX_BACK_OFF_SECONDS).toBeLessThanOrEqual(5 * 60);

    const user = await signUpUser();
    await db
      .insertInto('sign_in_failures')
      .values({
        email: user.email,
        failures: 10_000,
        last_failed_at: new Date(Date.now() - (MAX_BACK_OFF_SECONDS + 1) * 1000),
      })
      .execute();
    expect((await signIn(direct, freshLoopback(), user.email, user.password)).status).toBe(200);
  });
});

describe('an undeclared reverse proxy (production refuses auth requests through one)', () => {
  function fromPeer(peer: string, xff?: string): Headers {
    return new Headers({ [PEER_ADDRESS_HEADER]: peer, ...(xff ? { 'x-forwarded-for': xff } : {}) });
  }

  it('is a local address sending X-Forwarded-For that TRUSTED_PROXIES does not list', () => {
    expect(undeclaredProxy(fromPeer('127.0.0.1', '203.0.113.5'), [])).toBe('127.0.0.1');
    expect(undeclaredProxy(fromPeer('::ffff:172.17.0.2', '203.0.113.5'), [])).toBe('172.17.0.2');
    expect(undeclaredProxy(fromPeer('127.0.0.1', '203.0.113.5'), ['127.0.0.1'])).toBeNull();
    expect(undeclaredProxy(fromPeer('172.17.0.2', '203.0.113.5'), ['172.16.0.0/12'])).toBeNull();
    expect(undeclaredProxy(fromPeer('127.0.0.1'), [])).toBeNull();
    // What Next itself writes when a request has no X-Forwarded-For: the socket's own address.
    expect(undeclaredProxy(fromPeer('::ffff:127.0.0.1', '::ffff:127.0.0.1'), [])).toBeNull();
    expect(undeclaredProxy(fromPeer('127.0.0.1', '127.0.0.1'), [])).toBeNull();
  });

  it('cannot be faked by a client on the internet: its own X-Forwarded-For is just ignored', () => {
    expect(undeclaredProxy(fromPeer('198.51.100.7', '127.0.0.1'), [])).toBeNull();
  });
});

describe('TRUSTED_PROXIES', () => {
  const production = {
    NODE_ENV: 'production',
    SUPABASE_JWT_SECRET: 'a-real-jwt-secret-with-more-than-32-characters',
    SUPABASE_SERVICE_ROLE_KEY: 'a-real-service-role-key',
    BETTER_AUTH_SECRET: 'a-real-better-auth-secret-with-32-characters',
    NEXT_PUBLIC_SUPABASE_ANON_KEY: 'a-real-anon-key',
  };

  it('accepts addresses and ranges', () => {
    expect(
      parseEnv({ ...production, TRUSTED_PROXIES: '10.0.0.1, 172.16.0.0/12, fd00::/64' }).TRUSTED_PROXIES,
    ).toEqual(['10.0.0.1', '172.16.0.0/12', 'fd00::/64']);
  });

  it('refuses, with the entry named, a typo and a range that would trust every client', () => {
    expect(() => parseEnv({ ...production, TRUSTED_PROXIES: '10.0.0.1,loadbalancer' })).toThrow(
      /TRUSTED_PROXIES: "loadbalancer" is not an IP address or CIDR range/,
    );
    expect(() => parseEnv({ ...production, TRUSTED_PROXIES: '0.0.0.0/0' })).toThrow(
      /"0.0.0.0\/0" trusts so many/,
    );
    expect(() => parseEnv({ ...production, TRUSTED_PROXIES: '::/0' })).toThrow(/trusts so many/);
    expect(() => parseEnv({ ...production, TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(
      /invalid prefix length/,
    );
  });
});
