import sharp from 'sharp';
import { expect, it } from 'vitest';
import { authTables } from '../helpers/admins';
import { adminDb } from '../helpers/database';
import { seriousViolations } from './support/axe';
import {
  appUrl,
  describeInBrowser,
  newContext,
  screenshot,
  signUpInBrowser,
  useBrowser,
} from './support/browser';
import { userIdByEmail } from './support/user-rows';
import { warmUpPages } from './support/warm-up';

async function makeAdmin(email: string): Promise<void> {
  const db = adminDb();
  try {
    await authTables(db)
      .updateTable('better_auth.user')
      .set({ role: 'admin' })
      .where('id', '=', await userIdByEmail(email))
      .execute();
  } finally {
    await db.destroy();
  }
}

describeInBrowser('avatars in the sidebar and the admin console', () => {
  const browser = useBrowser();
  warmUpPages(browser, ['/admin']);

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`shows pictures where people have one and initials where they do not (${colorScheme})`, async () => {
      const context = await newContext(browser(), { colorScheme });
      context.setDefaultTimeout(60_000);
      const page = await context.newPage();
      const plain = await signUpInBrowser(page, 'Grace Hopper');
      // Without a picture, the sidebar footer shows the initial of the email it sits beside.
      expect(await page.getByTestId('sidebar-avatar-initials').textContent()).toBe(
        plain.email[0]?.toUpperCase(),
      );
      await page.getByTestId('sign-out').click();
      await page.getByRole('heading', { name: 'Sign in to ChatTwelve' }).waitFor();

      const admin = await signUpInBrowser(page, 'Operator');
      await makeAdmin(admin.email);
      const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#1a7f37' } })
        .png()
        .toBuffer();
      const upload = await page.request.post('/api/avatars', {
        headers: { origin: new URL(appUrl).origin },
        multipart: { file: { name: 'me.png', mimeType: 'image/png', buffer: png } },
      });
      expect(upload.status()).toBe(201);

      // The first visit to a page compiles it under `next dev`: give it time on a busy machine.
      await page.goto('/admin', { timeout: 90_000 });
      await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
      const loaded = (testId: string) =>
        page
          .getByTestId(testId)
          .first()
          .evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0);
      // The admin's own picture loads (it is served from our origin, so the CSP lets it through).
      await expect.poll(() => loaded('sidebar-avatar'), { timeout: 20_000 }).toBe(true);
      const ownRow = page.locator(`[data-testid="admin-user"][data-email="${admin.email}"]`);
      await expect
        .poll(
          () =>
            ownRow.getByTestId('admin-user-avatar').evaluate((image: HTMLImageElement) => image.naturalWidth),
          { timeout: 20_000 },
        )
        .toBe(64);

      await page.getByTestId('admin-user-search').fill(plain.email);
      const plainRow = page.locator(`[data-testid="admin-user"][data-email="${plain.email}"]`);
      await expect.poll(() => page.getByTestId('admin-user').count(), { timeout: 10_000 }).toBe(1);
      expect(await plainRow.getByTestId('admin-user-avatar-initials').textContent()).toBe('GH');
      await page.getByTestId('admin-user-search').fill('');
      await ownRow.waitFor();
      // The list was fetched again: every picture in it loads.
      await expect
        .poll(
          () =>
            page
              .locator('img[data-testid="admin-user-avatar"]')
              .evaluateAll((images) =>
                images
                  .filter(
                    (image) =>
                      !(image instanceof HTMLImageElement && image.complete && image.naturalWidth > 0),
                  )
                  .map((image) => image.getAttribute('src')),
              ),
          { timeout: 20_000 },
        )
        .toEqual([]);
      await screenshot(page, `admin-avatars-${colorScheme}`);
      expect(await seriousViolations(page)).toEqual([]);
      await context.close();
    });
  }
});
