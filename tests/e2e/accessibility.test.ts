import { expect, it } from 'vitest';
import { seriousViolations } from './support/axe';
import { describeInBrowser, newContext, signUpInBrowser, useBrowser } from './support/browser';
import { markdownReply, scriptedQuestion, sendMessage, waitForReplyStatus } from './support/chat-page';

describeInBrowser('accessibility (axe-core)', () => {
  const browser = useBrowser();

  it('finds no serious or critical violations on the sign-in page', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByTestId('auth-submit').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('finds no serious or critical violations on a chat page, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await newContext(browser(), { colorScheme });
      const page = await context.newPage();
      await signUpInBrowser(page);
      await sendMessage(page, await scriptedQuestion(markdownReply(), 'Explain sorting'));
      await waitForReplyStatus(page, 'complete');
      await page.getByTestId('sidebar-session').first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await context.close();
    }
  });
});

describeInBrowser('accessibility of the other pages (axe-core)', () => {
  const browser = useBrowser();

  it('finds no serious or critical violations on sign-up, the empty chat, the row menu, settings, security and not-found, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await newContext(browser(), { colorScheme });
      context.setDefaultTimeout(60_000);
      const page = await context.newPage();
      await page.goto('/sign-up');
      await page.getByTestId('password-rules').waitFor();
      expect(await seriousViolations(page), `sign-up (${colorScheme})`).toEqual([]);
      await signUpInBrowser(page);
      await page.getByTestId('suggested-prompt').first().waitFor();
      expect(await seriousViolations(page), `empty chat (${colorScheme})`).toEqual([]);
      await sendMessage(page, await scriptedQuestion(markdownReply(), 'Explain sorting'));
      await waitForReplyStatus(page, 'complete');
      await page.getByTestId('sidebar-session').first().getByTestId('session-menu').click();
      await page.getByRole('menu').waitFor();
      expect(await seriousViolations(page), `row menu (${colorScheme})`).toEqual([]);
      for (const [path, ready] of [
        ['/settings', 'profile-name'],
        ['/settings/security', 'devices'],
        ['/no-such-page', 'not-found'],
      ] as const) {
        await page.goto(path);
        await page.getByTestId(ready).waitFor();
        expect(await seriousViolations(page), `${path} (${colorScheme})`).toEqual([]);
      }
      await context.close();
    }
  });
});
