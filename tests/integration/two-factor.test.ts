import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCaller } from '@/server/router';
import { createContext } from '@/server/trpc';
import { auditRowsFor } from '../helpers/admins';
import { AuthBrowser, totpCode } from '../helpers/auth-browser';
import { adminDb } from '../helpers/database';
import { expectTrpcError } from '../helpers/trpc-errors';
import { callerFor } from '../helpers/users';

/** Signs a new user up in a fresh browser and enrols an authenticator app, confirmed with its first code. */
async function userWithTwoFactor() {
  const email = `tfa-${randomUUID()}@example.test`;
  const password = `pw-${randomUUID()}`;
  const browser = new AuthBrowser();
  const signedUp = await browser.post('/sign-up/email', { email, password, name: 'Careful' });
  expect(signedUp.status).toBe(200);
  const userId = String((signedUp.json?.user as { id?: string } | undefined)?.id);
  const enrolled = await browser.post('/two-factor/enable', { password });
  expect(enrolled.status).toBe(200);
  const totpUri = String(enrolled.json?.totpURI);
  const backupCodes = enrolled.json?.backupCodes as string[];
  expect(totpUri).toMatch(/^otpauth:\/\/totp\/ChatTwelve:.+\?.*secret=[A-Z2-7]+/);
  expect(backupCodes).toHaveLength(10);
  expect((await browser.post('/two-factor/verify-totp', { code: totpCode(totpUri) })).status).toBe(200);
  return { userId, email, password, totpUri, backupCodes, browser };
}

async function signInWithPassword(email: string, password: string) {
  const browser = new AuthBrowser();
  const result = await browser.post('/sign-in/email', { email, password });
  return { browser, result };
}

describe('two-factor sign-in', () => {
  it('is not asked before enrolment is confirmed with a code', async () => {
    const email = `tfa-${randomUUID()}@example.test`;
    const password = `pw-${randomUUID()}`;
    const browser = new AuthBrowser();
    await browser.post('/sign-up/email', { email, password, name: 'Unsure' });
    await browser.post('/two-factor/enable', { password });
    const { browser: other, result } = await signInWithPassword(email, password);
    expect(result.json?.twoFactorRedirect).toBeUndefined();
    expect(other.hasSession()).toBe(true);
  });

  it('needs the code once enabled: the password alone gives no session, a wrong code is refused, the right one signs in', async () => {
    const user = await userWithTwoFactor();
    const { browser, result } = await signInWithPassword(user.email, user.password);
    expect(result).toMatchObject({ status: 200, json: { twoFactorRedirect: true } });
    expect(browser.hasSession()).toBe(false);
    await expectTrpcError((await callerFor(browser.headers())).sessions.list({}), 'UNAUTHORIZED');

    const rightCode = totpCode(user.totpUri);
    const wrongCode = String((Number(rightCode) + 1) % 1_000_000).padStart(6, '0');
    const refused = await browser.post('/two-factor/verify-totp', { code: wrongCode });
    expect(refused.status).toBe(401);
    expect(browser.hasSession()).toBe(false);

    expect((await browser.post('/two-factor/verify-totp', { code: rightCode })).status).toBe(200);
    expect(browser.hasSession()).toBe(true);
    await expect((await callerFor(browser.headers())).sessions.list({})).resolves.toMatchObject({
      items: [],
    });
  });

  it('accepts each backup code once instead of the app code', async () => {
    const user = await userWithTwoFactor();
    const [code] = user.backupCodes;

    const first = await signInWithPassword(user.email, user.password);
    expect((await first.browser.post('/two-factor/verify-backup-code', { code })).status).toBe(200);
    expect(first.browser.hasSession()).toBe(true);

    const second = await signInWithPassword(user.email, user.password);
    expect((await second.browser.post('/two-factor/verify-backup-code', { code })).status).toBe(401);
    expect(second.browser.hasSession()).toBe(false);
    expect(
      (await second.browser.post('/two-factor/verify-backup-code', { code: user.backupCodes[1] })).status,
    ).toBe(200);
  });

  it('refuses a code without the password step first', async () => {
    const user = await userWithTwoFactor();
    const stranger = new AuthBrowser();
    expect((await stranger.post('/two-factor/verify-totp', { code: totpCode(user.totpUri) })).status).toBe(
      401,
    );
    expect(stranger.hasSession()).toBe(false);
  });

  it("cannot be turned off with the password alone through BetterAuth's own endpoint", async () => {
    const user = await userWithTwoFactor();
    expect((await user.browser.post('/two-factor/disable', { password: user.password })).status).toBe(404);
    expect((await signInWithPassword(user.email, user.password)).result.json?.twoFactorRedirect).toBe(true);
  });
});

describe('twoFactor.disable', () => {
  it('needs a current code and the password; a session alone cannot remove the second factor', async () => {
    const user = await userWithTwoFactor();
    const api = await callerFor(user.browser.headers());
    const rightCode = totpCode(user.totpUri);
    const wrongCode = String((Number(rightCode) + 1) % 1_000_000).padStart(6, '0');

    await expectTrpcError(
      api.twoFactor.disable({ password: user.password, code: wrongCode }),
      'FORBIDDEN',
      /code/,
    );
    await expectTrpcError(
      api.twoFactor.disable({ password: 'wrong-password', code: rightCode }),
      'FORBIDDEN',
      /password/,
    );
    await expectTrpcError(api.twoFactor.disable({ password: user.password, code: 'abc' }), 'BAD_REQUEST');
    expect((await signInWithPassword(user.email, user.password)).result.json?.twoFactorRedirect).toBe(true);

    const resHeaders = new Headers();
    const caller = createCaller(await createContext({ headers: user.browser.headers(), resHeaders }));
    expect(await caller.twoFactor.disable({ password: user.password, code: rightCode })).toEqual({
      disabled: true,
    });
    // The session is replaced: the browser gets its new cookie with the answer.
    expect(resHeaders.getSetCookie().some((cookie) => cookie.includes('session_token='))).toBe(true);
    const { result } = await signInWithPassword(user.email, user.password);
    expect(result.json?.twoFactorRedirect).toBeUndefined();

    const db = adminDb();
    try {
      // A sign-in with a code changes nothing to record; turning two-factor on and off do.
      await (await signInWithPassword(user.email, user.password)).browser.post('/two-factor/verify-totp', {
        code: totpCode(user.totpUri),
      });
      const rows = await auditRowsFor(db, user.userId);
      expect(rows.map((row) => [row.action, row.actor_id])).toEqual([
        ['account.two_factor.enable', user.userId],
        ['account.two_factor.disable', user.userId],
      ]);
      expect(rows[1]?.request_id).toBe(resHeaders.get('x-request-id'));
    } finally {
      await db.destroy();
    }
  });

  it('stops answering after 5 attempts a quarter hour', async () => {
    const user = await userWithTwoFactor();
    const api = await callerFor(user.browser.headers());
    for (let attempt = 0; attempt < 5; attempt++) {
      await expectTrpcError(api.twoFactor.disable({ password: user.password, code: '000000' }), 'FORBIDDEN');
    }
    await expectTrpcError(
      api.twoFactor.disable({ password: user.password, code: totpCode(user.totpUri) }),
      'TOO_MANY_REQUESTS',
    );
  });
});
