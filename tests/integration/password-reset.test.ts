import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GET as mailboxPage } from '@/app/api/dev/mailbox/route';
import { auth } from '@/server/auth';
import { devMailbox } from '@/server/mail/dev-mailbox';
import { auditRowsFor, authTables } from '../helpers/admins';
import { AuthBrowser } from '../helpers/auth-browser';
import { adminDb } from '../helpers/database';
import { expectTrpcError } from '../helpers/trpc-errors';
import { APP_ORIGIN, callerFor, signUpUser } from '../helpers/users';

/** The reset link in the newest mail to `email`, read from the dev mailbox page as a developer would. */
async function resetLinkFor(email: string): Promise<string> {
  const response = await mailboxPage(
    new Request(`${APP_ORIGIN}/api/dev/mailbox?to=${encodeURIComponent(email)}`),
    {},
  );
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  const page = await response.text();
  const link = /href="([^"]+\/reset-password\/[^"]+)"/.exec(page)?.[1];
  if (!link) throw new Error(`no reset link in the mailbox for ${email}`);
  return link.replaceAll('&#38;', '&');
}

function resetMailsTo(email: string) {
  return devMailbox.list(email).filter((mail) => mail.subject === 'Reset your ChatTwelve password');
}

/** Follows the mailed link as the browser would: BetterAuth checks the token and redirects to the app's form. */
async function openResetLink(link: string): Promise<Response> {
  return auth().handler(new Request(link, { headers: { origin: APP_ORIGIN } }));
}

describe('password reset through the mailer', () => {
  it('mails a one-time link; the new password works, the old one and every old session do not', async () => {
    const user = await signUpUser();
    const browser = new AuthBrowser();
    const asked = await browser.post('/request-password-reset', {
      email: user.email,
      redirectTo: '/reset-password',
    });
    expect(asked.status).toBe(200);

    const [mail] = devMailbox.list(user.email);
    expect(mail?.subject).toBe('Reset your ChatTwelve password');
    const link = await resetLinkFor(user.email);
    expect(link.startsWith(`${APP_ORIGIN}/api/auth/reset-password/`)).toBe(true);

    const opened = await openResetLink(link);
    expect(opened.status).toBe(302);
    const formUrl = new URL(opened.headers.get('location') ?? '', APP_ORIGIN);
    expect(formUrl.pathname).toBe('/reset-password');
    const token = formUrl.searchParams.get('token');
    expect(token).toBeTruthy();

    const newPassword = `new-${randomUUID()}`;
    expect((await browser.post('/reset-password', { token, newPassword })).status).toBe(200);

    await expectTrpcError((await callerFor(user.headers)).sessions.list({}), 'UNAUTHORIZED');
    await expect(
      auth().api.signInEmail({ body: { email: user.email, password: user.password } }),
    ).rejects.toMatchObject({ statusCode: 401 });
    const signedIn = await auth().api.signInEmail({ body: { email: user.email, password: newPassword } });
    expect(signedIn.user.id).toBe(user.id);

    // The same link again: refused, and the password stays the one just set.
    const reused = await browser.post('/reset-password', { token, newPassword: `again-${randomUUID()}` });
    expect(reused).toMatchObject({ status: 400, json: { code: 'INVALID_TOKEN' } });
    const openedAgain = await openResetLink(link);
    expect(new URL(openedAgain.headers.get('location') ?? '', APP_ORIGIN).searchParams.get('error')).toBe(
      'INVALID_TOKEN',
    );
    await expect(
      auth().api.signInEmail({ body: { email: user.email, password: newPassword } }),
    ).resolves.toBeDefined();

    const db = adminDb();
    try {
      expect((await auditRowsFor(db, user.id)).map((row) => [row.action, row.actor_id])).toEqual([
        ['account.password.reset', user.id],
      ]);
    } finally {
      await db.destroy();
    }
  });

  it('answers the same for an unknown address, and mails nobody', async () => {
    const email = `nobody-${randomUUID()}@example.test`;
    const known = await signUpUser();
    const browser = new AuthBrowser();
    const unknown = await browser.post('/request-password-reset', { email, redirectTo: '/reset-password' });
    const real = await browser.post('/request-password-reset', {
      email: known.email,
      redirectTo: '/reset-password',
    });
    expect(unknown).toEqual(real);
    expect(resetMailsTo(email)).toEqual([]);
  });

  it('refuses a made-up token and a link that leaves the app', async () => {
    const browser = new AuthBrowser();
    const madeUp = await browser.post('/reset-password', {
      token: 'not-a-real-token',
      newPassword: 'whatever-123',
    });
    expect(madeUp.status).toBe(400);
    const user = await signUpUser();
    const phishing = await browser.post('/request-password-reset', {
      email: user.email,
      redirectTo: 'https://evil.example/steal',
    });
    expect(phishing.status).toBe(403);
    expect(resetMailsTo(user.email)).toEqual([]);
  });
});

describe("BetterAuth's own origin check", () => {
  it('refuses a sign-in posted from another site, as it does in production', async () => {
    const user = await signUpUser();
    const response = await auth().handler(
      new Request(`${APP_ORIGIN}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example', cookie: 'x=1' },
        body: JSON.stringify({ email: user.email, password: user.password }),
      }),
    );
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});

describe('dev mailbox', () => {
  it('shows mails as JSON too', async () => {
    const user = await signUpUser();
    await new AuthBrowser().post('/request-password-reset', {
      email: user.email,
      redirectTo: '/reset-password',
    });
    const response = await mailboxPage(
      new Request(`${APP_ORIGIN}/api/dev/mailbox?format=json&to=${encodeURIComponent(user.email)}`),
      {},
    );
    const body = (await response.json()) as { mails: { to: string; subject: string }[] };
    expect(body.mails.filter((mail) => mail.subject.startsWith('Reset'))).toEqual([
      expect.objectContaining({ to: user.email, subject: 'Reset your ChatTwelve password' }),
    ]);
  });
});

describe('email verification through the mailer', () => {
  async function emailVerified(userId: string): Promise<boolean | undefined> {
    const db = adminDb();
    try {
      const row = await authTables(db)
        .selectFrom('better_auth.user')
        .select('emailVerified')
        .where('id', '=', userId)
        .executeTakeFirst();
      return row?.emailVerified;
    } finally {
      await db.destroy();
    }
  }

  it('mails a link at sign-up that marks the address verified; an altered link does not', async () => {
    const email = `verify-${randomUUID()}@example.test`;
    const browser = new AuthBrowser();
    const signedUp = await browser.post('/sign-up/email', {
      email,
      password: `pw-${randomUUID()}`,
      name: 'New',
    });
    const userId = String((signedUp.json?.user as { id?: string } | undefined)?.id);
    expect(await emailVerified(userId)).toBe(false);

    const [mail] = devMailbox.list(email);
    expect(mail?.subject).toBe('Confirm your email address for ChatTwelve');
    const link = /https?:\/\/\S+\/verify-email\?\S+/.exec(mail?.text ?? '')?.[0] ?? '';
    expect(link.startsWith(`${APP_ORIGIN}/api/auth/verify-email?token=`)).toBe(true);

    const altered = new URL(link);
    altered.searchParams.set('token', `${altered.searchParams.get('token')}x`);
    await auth().handler(new Request(altered, { headers: { origin: APP_ORIGIN } }));
    expect(await emailVerified(userId)).toBe(false);

    const opened = await auth().handler(new Request(link, { headers: { origin: APP_ORIGIN } }));
    expect(opened.status).toBe(302);
    expect(await emailVerified(userId)).toBe(true);
  });
});
