import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeInBrowser, newContext, screenshot, signUpInBrowser, useBrowser } from './support/browser';
import { warmUpPages } from './support/warm-up';

/** Pages that say the right thing in the right theme when something is missing or wrong. */
describeInBrowser('page states', () => {
  const browser = useBrowser();
  warmUpPages(browser, ['/settings', '/no-such-page']);

  it('keeps the chosen dark theme on not-found pages, and tells a missing page from a missing chat', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await signUpInBrowser(page);
    await page.evaluate(() => localStorage.setItem('theme', 'dark'));

    await page.goto('/no-such-page');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(await page.getByTestId('not-found').textContent()).not.toContain('chat does not exist');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await screenshot(page, 'not-found-dark');

    await page.goto(`/c/${randomUUID()}`);
    await page.getByRole('heading', { name: 'Chat not found' }).waitFor();
    expect(await page.getByTestId('not-found').textContent()).toContain('This chat does not exist');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(consoleErrors.filter((text) => text.includes('script tag'))).toEqual([]);
    await context.close();
  });

  it('shows a validation error at the field it belongs to, without the input key', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    await page.goto('/settings');
    await page.getByTestId('prompt-name').waitFor();
    // Blank after trimming: the browser's `required` lets it through, the server refuses it.
    await expect
      .poll(
        async () => {
          await page.getByTestId('prompt-name').fill('   ');
          await page.getByTestId('prompt-content').fill('   ');
          await page.getByTestId('prompt-add').click();
          return page.getByTestId('field-error').count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBeGreaterThan(0);
    const nameError = page.locator('#prompt-name-error');
    await nameError.waitFor();
    const shown = (await page.getByTestId('settings-page').textContent()) ?? '';
    expect(shown).not.toMatch(/\bname: |\bcontent: /);
    expect(await page.getByTestId('prompt-name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('prompt-name').getAttribute('aria-describedby')).toBe('prompt-name-error');
    await context.close();
  });
});
