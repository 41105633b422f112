import { expect, it } from 'vitest';
import { describeInBrowser, newContext, screenshot, signUpInBrowser, useBrowser } from './support/browser';

describeInBrowser('settings', () => {
  const browser = useBrowser();

  it('saves the display name, adds a system prompt, and switches the theme', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();

    await page.getByTestId('profile-name').fill('Grace Hopper');
    await page.getByTestId('profile-save').click();
    await page.getByText('Saved.').waitFor();

    await page.getByLabel('Name', { exact: true }).fill('Terse');
    await page.getByLabel('Prompt', { exact: true }).fill('Answer in one sentence.');
    await page.getByRole('button', { name: 'Add prompt' }).click();
    await page.getByText('Answer in one sentence.').waitFor();

    await page.getByTestId('theme-dark').check();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.reload();
    expect(await page.getByTestId('profile-name').inputValue()).toBe('Grace Hopper');
    expect(await page.getByText('Answer in one sentence.').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByTestId('theme-system').check();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();

    // The section navigation reaches the other settings page's sections too.
    const nav = page.getByTestId('settings-nav');
    await nav.getByRole('link', { name: 'Devices' }).click();
    await page.waitForURL(/\/settings\/security#devices-heading$/);
    await page.getByRole('heading', { name: 'Devices' }).waitFor();
    expect(await nav.locator('a[aria-current="page"]').textContent()).toBe('Account and security');
    await screenshot(page, 'settings-security');
    await context.close();
  });
});
