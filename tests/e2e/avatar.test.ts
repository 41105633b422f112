import sharp from 'sharp';
import { expect, it } from 'vitest';
import { describeInBrowser, newContext, screenshot, signUpInBrowser, useBrowser } from './support/browser';
import { warmUpPages } from './support/warm-up';

describeInBrowser('avatar', () => {
  const browser = useBrowser();
  warmUpPages(browser, ['/settings']);

  it('uploads a picture cropped to a square, shows it in settings and the sidebar, and removes it', async () => {
    const context = await newContext(browser(), { colorScheme: 'dark' });
    const page = await context.newPage();
    await signUpInBrowser(page);
    await page.goto('/settings', { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="avatar-upload"]'));
    // A wide picture: the browser crops it to its centre square before uploading.
    const wide = await sharp({
      create: { width: 300, height: 160, channels: 3, background: { r: 200, g: 60, b: 40 } },
    })
      .png()
      .toBuffer();
    await expect
      .poll(
        async () => {
          await page
            .getByTestId('avatar-file')
            .setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: wide });
          return page.getByTestId('avatar-save').isVisible();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(true);
    expect(await page.getByTestId('avatar-image').getAttribute('src')).toMatch(/^blob:/);
    await page.getByTestId('avatar-save').click();
    await page.getByText('Picture saved.').waitFor();
    const image = page.getByTestId('avatar-image');
    expect(await image.getAttribute('src')).toMatch(/^\/api\/avatars\//);
    await expect
      .poll(
        () => image.evaluate((element: HTMLImageElement) => [element.naturalWidth, element.naturalHeight]),
        { timeout: 30_000 },
      )
      .toEqual([256, 256]);
    await screenshot(page, 'avatar-settings-dark');

    await page.reload();
    await page.getByTestId('sidebar-avatar').waitFor();
    await expect
      .poll(
        () =>
          page.getByTestId('sidebar-avatar').evaluate((element: HTMLImageElement) => element.naturalWidth),
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);

    await expect
      .poll(
        async () => {
          if (await page.getByTestId('avatar-remove').isVisible())
            await page.getByTestId('avatar-remove').click();
          return page.getByText('Picture removed.').isVisible();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(true);
    expect(await page.getByTestId('avatar-image').count()).toBe(0);
    await context.close();
  });
});
