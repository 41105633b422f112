import { expect, it } from 'vitest';
import { describeInBrowser, newContext, screenshot, signUpInBrowser, useBrowser } from './support/browser';
import { scriptedQuestion, sendMessage, waitForReplyStatus, wordReply } from './support/chat-page';
import { warmUpPages } from './support/warm-up';

describeInBrowser('polish', () => {
  const browser = useBrowser();
  warmUpPages(browser, []);

  it('marks the optional name and states the password rules on sign-up', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto('/sign-up', { timeout: 60_000 });
    expect(await page.getByText('Name (optional)').count()).toBe(1);
    const rules = page.getByTestId('password-rules');
    expect(await rules.textContent()).toContain('At least 8 characters');
    expect(await page.getByTestId('auth-password').getAttribute('aria-describedby')).toBe('password-rules');
    const manifest = await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
      const icon = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
      const response = link ? await fetch(link.href) : null;
      return { manifest: response ? await response.json() : null, icon: icon?.href ?? null };
    });
    expect(manifest.manifest).toMatchObject({ name: 'ChatTwelve', display: 'standalone' });
    expect(manifest.icon).toBeTruthy();
    await context.close();
  });

  it('offers suggested prompts, names the tab after the chat, and keeps row actions behind a ⋯ menu', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    const suggestions = page.getByTestId('suggested-prompt');
    expect(await suggestions.count()).toBeGreaterThan(2);
    await screenshot(page, 'empty-chat-suggestions');

    await sendMessage(page, await scriptedQuestion(wordReply(5, 5).script, 'Plan a walk'));
    await waitForReplyStatus(page, 'complete');
    const row = page.getByTestId('sidebar-session').first();
    await row.waitFor();
    // The tab's title follows the chat's title (set by the server, then by generated titles and renames).
    await row.getByTestId('session-menu').click();
    await page.getByRole('menuitem', { name: 'Rename' }).click();
    const longTitle = 'Holiday plans for Portugal';
    await page.getByTestId('rename-input').fill(longTitle);
    await page.getByTestId('rename-input').press('Enter');
    await expect.poll(() => page.title(), { timeout: 10_000 }).toBe(`${longTitle} · ChatTwelve`);
    // The whole title fits the row: the actions take one small button, not three.
    const title = row.locator('.session-title');
    expect(await title.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);

    // Keyboard: the menu opens on its first item, arrows move, Escape closes it and returns focus.
    await row.getByTestId('session-menu').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Rename');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Pin');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('menu').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'session-menu',
    );

    await row.getByTestId('session-menu').click();
    await page.getByRole('menuitem', { name: 'Pin' }).click();
    await row.getByTestId('pin-mark').waitFor();
    await page.mouse.move(0, 0);
    await screenshot(page, 'sidebar-pinned-full-title');
    await context.close();
  });

  it('offers a jump to the latest text when the user scrolls up during a reply', async () => {
    const context = await newContext(browser(), { height: 500 });
    const page = await context.newPage();
    await signUpInBrowser(page);
    const { script } = wordReply(400, 15);
    await sendMessage(page, await scriptedQuestion(script, 'Talk for a while'));
    const messages = page.getByTestId('messages');
    await expect
      .poll(() => messages.evaluate((element) => element.scrollHeight > element.clientHeight * 2), {
        timeout: 30_000,
      })
      .toBe(true);
    await messages.hover();
    await page.mouse.wheel(0, -2000);
    await page.getByTestId('jump-to-latest').waitFor();
    await screenshot(page, 'jump-to-latest');
    await page.getByTestId('jump-to-latest').click();
    await page.getByTestId('jump-to-latest').waitFor({ state: 'detached' });
    const distance = await messages.evaluate(
      (element) => element.scrollHeight - element.scrollTop - element.clientHeight,
    );
    expect(distance).toBeLessThan(48);
    await context.close();
  });
});
