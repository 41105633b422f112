import { randomInt } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { authTables } from '../helpers/admins';
import { adminDb } from '../helpers/database';
import { seriousViolations } from './support/axe';
import {
  appUrl,
  type BrowserUser,
  describeInBrowser,
  newContext,
  screenshot,
  signUpInBrowser,
  useBrowser,
} from './support/browser';
import { scriptedQuestion, sendMessage, waitForReplyStatus, wordReply } from './support/chat-page';
import { userIdByEmail } from './support/user-rows';
import { warmUpPages } from './support/warm-up';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** A phone: an iPhone's user agent and screen, and a client address of its own (as newContext gives). */
async function phoneContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: appUrl,
    viewport: { width: 375, height: 812 },
    userAgent: IPHONE,
    extraHTTPHeaders: { 'x-forwarded-for': `198.19.${randomInt(0, 256)}.${randomInt(1, 255)}` },
  });
  context.setDefaultTimeout(20_000);
  return context;
}

async function signIn(page: Page, user: BrowserUser): Promise<void> {
  await page.goto('/sign-in');
  await page.getByTestId('auth-email').fill(user.email);
  await page.getByTestId('auth-password').fill(user.password);
  await page.getByTestId('auth-submit').click();
  await page.getByTestId('composer').waitFor();
}

async function makeAdmin(email: string): Promise<void> {
  const db = adminDb();
  try {
    const id = await userIdByEmail(email);
    await authTables(db)
      .updateTable('better_auth.user')
      .set({ role: 'admin' })
      .where('id', '=', id)
      .execute();
  } finally {
    await db.destroy();
  }
}

describeInBrowser('presence', () => {
  const browser = useBrowser();
  warmUpPages(browser, ['/settings/security', '/admin', `/c/${crypto.randomUUID()}`]);

  it('marks the other device online, says a chat is also open on the phone, and unmarks it when the phone goes', async () => {
    const laptopContext = await newContext(browser());
    const laptop = await laptopContext.newPage();
    const user = await signUpInBrowser(laptop, 'Two Devices');
    await sendMessage(laptop, await scriptedQuestion(wordReply(5, 5).script, 'Presence'));
    await waitForReplyStatus(laptop, 'complete');
    await expect.poll(() => new URL(laptop.url()).pathname).toMatch(/^\/c\//);
    const chatPath = new URL(laptop.url()).pathname;

    const phoneBrowser = await phoneContext(browser());
    const phone = await phoneBrowser.newPage();
    await signIn(phone, user);
    await phone.goto(chatPath);

    const laptopMarker = laptop.getByTestId('also-open');
    await expect.poll(() => laptopMarker.textContent(), { timeout: 30_000 }).toBe('Also open on your phone');
    await expect
      .poll(() => phone.getByTestId('also-open').textContent())
      .toBe('Also open on Chrome on Linux');
    await screenshot(laptop, 'presence-also-open-light');
    expect(await seriousViolations(laptop)).toEqual([]);
    await laptop.emulateMedia({ colorScheme: 'dark' });
    await screenshot(laptop, 'presence-also-open-dark');
    expect(await seriousViolations(laptop)).toEqual([]);
    await laptop.emulateMedia({ colorScheme: 'light' });
    await screenshot(phone, 'presence-also-open-phone');

    // The phone leaves the chat: the laptop's marker goes, while the phone stays online.
    await phone.goto('/');
    await laptopMarker.waitFor({ state: 'detached' });

    await laptop.goto('/settings/security');
    const phoneRow = laptop.locator('[data-testid="device"][data-current="false"]');
    await phoneRow.getByText('Online now').waitFor({ timeout: 30_000 });
    expect(await phoneRow.getByText('Safari').count()).toBe(1);
    await screenshot(laptop, 'presence-devices-light');
    expect(await seriousViolations(laptop)).toEqual([]);

    await phoneBrowser.close();
    await laptop.locator('[data-testid="device"][data-current="false"][data-online="false"]').waitFor({
      timeout: 30_000,
    });
    expect(await phoneRow.textContent()).toContain('Last active');
    await laptopContext.close();
  });

  it('shows the admin a user coming online and going offline, live', async () => {
    const memberContext = await newContext(browser());
    const member = await memberContext.newPage();
    const user = await signUpInBrowser(member, 'Member');
    await member.getByTestId('sign-out').click();
    await member.getByRole('heading', { name: 'Sign in to ChatTwelve' }).waitFor();

    const adminContext = await newContext(browser(), { colorScheme: 'dark' });
    const adminPage = await adminContext.newPage();
    const admin = await signUpInBrowser(adminPage, 'Operator');
    await makeAdmin(admin.email);
    await adminPage.goto('/admin');
    await adminPage.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
    await adminPage.getByTestId('admin-user-search').fill(user.email);
    const row = adminPage.locator(`[data-testid="admin-user"][data-email="${user.email}"]`);
    await row.waitFor();
    // The admin sees themself online once presence has synced; only then is the member's absence news.
    await adminPage
      .getByTestId('admin-online-count')
      .getByText(/online now/)
      .waitFor({ timeout: 30_000 });
    expect(await row.getAttribute('data-online')).toBe('false');

    await signIn(member, user);
    await row.getByText('Online now').waitFor({ timeout: 30_000 });
    expect(await row.getAttribute('data-online')).toBe('true');
    await screenshot(adminPage, 'presence-admin-dark');
    expect(await seriousViolations(adminPage)).toEqual([]);

    await memberContext.close();
    await adminPage
      .locator(`[data-testid="admin-user"][data-email="${user.email}"][data-online="false"]`)
      .waitFor({
        timeout: 30_000,
      });
    await adminContext.close();
  });
});
