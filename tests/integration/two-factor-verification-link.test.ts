import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as authGet, POST as authPost } from '@/app/api/auth/[...all]/route';
import { GET as mailboxGet } from '@/app/api/dev/mailbox/route';
import { GET as trpcGet, POST as trpcPost } from '@/app/api/trpc/[trpc]/route';
import { totpCode } from '../helpers/auth-browser';
import { type RouteServer, requestFrom, startRouteServer } from '../helpers/route-server';
import { APP_ORIGIN } from '../helpers/users';

let server: RouteServer;

beforeAll(async () => {
  server = await startRouteServer({
    '/api/auth/': (request) => (request.method === 'GET' ? authGet(request) : authPost(request)),
    '/api/trpc/': (request) => (request.method === 'GET' ? trpcGet(request) : trpcPost(request)),
    '/api/dev/mailbox': (request) => mailboxGet(request, {}),
  });
});
afterAll(() => server.close());

/** A browser over real HTTP: one cookie jar, the app's Origin on every request. */
class HttpBrowser {
  readonly jar = new Map<string, string>();

  async send(method: string, path: string, body?: unknown) {
    const response = await requestFrom('127.0.0.1', `${server.url}${path}`, {
      method,
      headers: {
        origin: APP_ORIGIN,
        cookie: [...this.jar].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookies = [response.headers['set-cookie'] ?? []].flat();
    for (const setCookie of setCookies) {
      const [pair = ''] = setCookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (value === '' || /max-age=0/i.test(setCookie)) this.jar.delete(name.trim());
      else this.jar.set(name.trim(), value);
    }
    return { ...response, setCookies };
  }

  hasSession(): boolean {
    return [...this.jar.keys()].some((name) => name.endsWith('session_token'));
  }

  /** sessions.list over /api/trpc: what a signed-in page would load. */
  async listSessions() {
    return this.send(
      'GET',
      `/api/trpc/sessions.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`,
    );
  }
}

async function newestVerificationLink(email: string): Promise<string> {
  const response = await requestFrom(
    '127.0.0.1',
    `${server.url}/api/dev/mailbox?format=json&to=${encodeURIComponent(email)}`,
  );
  const { mails } = JSON.parse(response.text) as { mails: { subject: string; text: string }[] };
  const mail = mails.find((m) => m.subject.startsWith('Confirm your email address'));
  const link = /https?:\/\/\S+\/verify-email\?\S+/.exec(mail?.text ?? '')?.[0] ?? '';
  expect(link.startsWith(`${APP_ORIGIN}/api/auth/verify-email?token=`)).toBe(true);
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

describe('email verification and two-factor', () => {
  it('a fresh verification link asked for by a stranger verifies the address but signs nobody in to a two-factor account', async () => {
    const email = `tfa-link-${randomUUID()}@example.test`;
    const password = `pw-${randomUUID()}`;
    const owner = new HttpBrowser();
    expect(
      (await owner.send('POST', '/api/auth/sign-up/email', { email, password, name: 'Owner' })).status,
    ).toBe(200);
    const enrolled = await owner.send('POST', '/api/auth/two-factor/enable', { password });
    const totpUri = String((JSON.parse(enrolled.text) as { totpURI: string }).totpURI);
    expect(
      (await owner.send('POST', '/api/auth/two-factor/verify-totp', { code: totpCode(totpUri) })).status,
    ).toBe(200);

    // The attacker holds the mailbox (or reads it in development) but knows neither password nor code.
    const attacker = new HttpBrowser();
    expect((await attacker.send('POST', '/api/auth/send-verification-email', { email })).status).toBe(200);
    const opened = await attacker.send('GET', await newestVerificationLink(email));

    expect(opened.status).toBeLessThan(400);
    expect(opened.setCookies.filter((cookie) => /session_token=[^;]/.test(cookie))).toEqual([]);
    expect(attacker.hasSession()).toBe(false);
    expect((await attacker.listSessions()).status).toBe(401);
    // The link still did its one job: the address is verified.
    const signIn = await new HttpBrowser().send('POST', '/api/auth/sign-in/email', { email, password });
    expect(JSON.parse(signIn.text)).toMatchObject({ twoFactorRedirect: true });
  });

  it('signs nobody in without two-factor either: the link verifies, the password still decides', async () => {
    const email = `link-${randomUUID()}@example.test`;
    const owner = new HttpBrowser();
    await owner.send('POST', '/api/auth/sign-up/email', {
      email,
      password: `pw-${randomUUID()}`,
      name: 'Plain',
    });
    const stranger = new HttpBrowser();
    const opened = await stranger.send('GET', await newestVerificationLink(email));
    expect(opened.status).toBeLessThan(400);
    expect(stranger.hasSession()).toBe(false);
    expect((await stranger.listSessions()).status).toBe(401);
    const me = await owner.send('GET', '/api/auth/get-session');
    expect(JSON.parse(me.text)).toMatchObject({ user: { email, emailVerified: true } });
  });
});
