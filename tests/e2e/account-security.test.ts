import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, inject, it } from 'vitest';
import { authTables } from '../helpers/admins';
import { adminDb } from '../helpers/database';
import { caughtMails } from '../helpers/mail-catcher';
import { describeInBrowser, newContext, screenshot, signUpInBrowser, useBrowser } from './support/browser';
import { scriptedQuestion, sendMessage, waitForReplyStatus, wordReply } from './support/chat-page';
import { userIdByEmail } from './support/user-rows';

const mailCatcherUrl = inject('mailCatcherUrl');

/** The code an authenticator app shows for this otpauth:// URI (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits). */
function totpCode(totpUri: string, stepOffset = 0): string {
  const secret = new URL(totpUri).searchParams.get('secret') ?? '';
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...secret.toUpperCase()]
    .map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0'))
    .join('');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => Number.parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + stepOffset));
  const hmac = createHmac('sha1', key).update(counter).digest();
  const offset = (hmac.at(-1) ?? 0) & 0xf;
  return String((hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

describeInBrowser('account security page', () => {
  const browser = useBrowser();

  it('lists this device, exports the chats over Realtime, and turns on two-factor that sign-in then asks for', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    const user = await signUpInBrowser(page);
    const question = await scriptedQuestion(wordReply(5, 5).script, 'Remember the export');
    await sendMessage(page, question);
    await waitForReplyStatus(page, 'complete');

    await page.goto('/settings');
    await page.getByTestId('security-settings-link').click();
    await page.getByRole('heading', { name: 'Account and security', level: 1 }).waitFor();

    const thisDevice = page.locator('[data-testid="device"][data-current="true"]');
    await thisDevice.getByText('This device').waitFor();
    expect(await page.getByTestId('device').count()).toBe(1);
    // A browser on the server's own machine: no loopback address, just the browser and "Active now".
    const deviceText = (await thisDevice.textContent()) ?? '';
    expect(deviceText).toMatch(/Chrom/);
    expect(deviceText).toContain('Active now');
    expect(deviceText).not.toMatch(/0000:|::1|127\.0\.0\.1/);

    // The panel is server-rendered: a click that lands before React hydrates it does nothing, so click
    // until the job shows (once started, the button is disabled while the job runs).
    const job = page.getByTestId('export-job');
    await expect
      .poll(
        async () => {
          if (!(await job.isVisible())) await page.getByTestId('export-start').click();
          return job.getByRole('status').isVisible();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(true);
    await page.locator('[data-testid="export-job"][data-status="complete"]').waitFor({ timeout: 60_000 });
    const href = await page.getByTestId('export-download-json').getAttribute('href');
    const exported = await page.evaluate(async (url) => (await fetch(url ?? '')).text(), href);
    expect(JSON.parse(exported)).toBeTruthy();
    expect(exported).toContain(question);

    await page.getByTestId('two-factor-password').fill(user.password);
    await page.getByTestId('two-factor-enable').click();
    const totpUri = (await page.getByTestId('two-factor-uri').getAttribute('href')) ?? '';
    expect(totpUri).toMatch(/^otpauth:\/\/totp\//);
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    await page.getByTestId('two-factor-code').fill(totpCode(totpUri));
    await page.getByTestId('two-factor-confirm').click();
    await page.getByTestId('backup-codes').waitFor();
    const codes = await page.getByTestId('backup-codes').locator('li').allTextContents();
    expect(codes.length).toBeGreaterThan(0);
    // Saved as a file: every code, one per line.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('backup-codes-download').click(),
    ]);
    const saved = await readFile((await download.path()) ?? '', 'utf8');
    expect(saved.split('\n').filter((line) => codes.includes(line))).toEqual(codes);
    // The section says "On" as soon as the code is confirmed, above the backup codes.
    expect(await page.getByTestId('two-factor-state').textContent()).toMatch(/^On:/);
    await page.getByTestId('backup-codes-done').click();
    await page.locator('[data-testid="two-factor"][data-enabled="true"]').waitFor();
    await screenshot(page, 'account-security');

    await page.getByTestId('sign-out').click();
    await page.getByRole('heading', { name: 'Sign in to ChatTwelve' }).waitFor();
    await page.getByTestId('auth-email').fill(user.email);
    await page.getByTestId('auth-password').fill(user.password);
    await page.getByTestId('auth-submit').click();
    await page.getByRole('heading', { name: 'Two-factor check' }).waitFor();

    const accepted = new Set([-1, 0, 1].map((step) => totpCode(totpUri, step)));
    let wrong = totpCode(totpUri);
    while (accepted.has(wrong)) wrong = String((Number(wrong) + 1) % 1_000_000).padStart(6, '0');
    await page.getByTestId('two-factor-step-code').fill(wrong);
    await page.getByTestId('two-factor-step-submit').click();
    await page.getByRole('alert').waitFor();

    await page.getByTestId('two-factor-step-code').fill(totpCode(totpUri));
    await page.getByTestId('two-factor-step-submit').click();
    await page.getByTestId('sidebar').waitFor();
    await expect
      .poll(() => page.getByTestId('signed-in-as').textContent(), { timeout: 10_000 })
      .toBe(user.email);
    await context.close();
  });

  it('shows the admin console to admins only, where an admin finds a user and bans them with a reason', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    const target = await signUpInBrowser(page, 'Target');
    await page.getByTestId('sign-out').click();
    await page.getByRole('heading', { name: 'Sign in to ChatTwelve' }).waitFor();
    const admin = await signUpInBrowser(page, 'Operator');
    await page.goto('/admin');
    await page.getByTestId('not-found').waitFor();

    const db = adminDb();
    try {
      const adminId = await userIdByEmail(admin.email);
      await authTables(db)
        .updateTable('better_auth.user')
        .set({ role: 'admin' })
        .where('id', '=', adminId)
        .execute();
    } finally {
      await db.destroy();
    }
    await page.goto('/admin');
    await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
    await page.getByTestId('admin-usage').waitFor();
    await page.getByTestId('admin-user-search').fill(target.email);
    const row = page.locator(`[data-testid="admin-user"][data-email="${target.email}"]`);
    await row.waitFor();
    await expect.poll(() => page.getByTestId('admin-user').count(), { timeout: 10_000 }).toBe(1);
    await row.getByRole('button', { name: 'Ban…' }).click();
    await row.getByLabel('Reason for the ban').fill('Spam in e2e');
    await row.getByRole('button', { name: 'Ban', exact: true }).click();
    await row.getByText('Banned: Spam in e2e').waitFor();
    await page.reload();
    await page.getByTestId('admin-audit-log').getByText('admin.user.ban').first().waitFor();
    await context.close();
  });

  it('resets a forgotten password through the mailed link, then signs in with the new one', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    const user = await signUpInBrowser(page, 'Forgetful');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('forgot-password').click();
    await page.getByTestId('reset-email').fill(user.email);
    await page.getByTestId('reset-request').click();
    await page.getByText('a reset link is on its way').waitFor();

    let link: string | undefined;
    await expect
      .poll(
        async () => {
          const mails = await caughtMails(mailCatcherUrl, user.email);
          link = mails
            .map((mail) => /https?:\/\/\S+\/reset-password\/\S+/.exec(mail.text)?.[0])
            .find(Boolean);
          return link;
        },
        { timeout: 15_000 },
      )
      .toBeTruthy();
    await page.goto(link ?? '');
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    const newPassword = `new-${user.password}`;
    await page.getByTestId('reset-password').fill(newPassword);
    await page.getByTestId('reset-password-confirm').fill(newPassword);
    await page.getByTestId('reset-submit').click();
    await page.getByText('Your password is changed').waitFor();

    await page.goto('/sign-in');
    await page.getByTestId('auth-email').fill(user.email);
    await page.getByTestId('auth-password').fill(newPassword);
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('sidebar').waitFor();
    await context.close();
  });
});
