import { expect, it } from 'vitest';
import { describeInBrowser, newContext, screenshot, signUpInBrowser, useBrowser } from './support/browser';
import { markdownReply, scriptedQuestion, sendMessage, waitForReplyStatus } from './support/chat-page';

/** Screenshots kept under test-artifacts/ for a person to look at; the assertions are about layout. */
describeInBrowser('screenshots', () => {
  const browser = useBrowser();

  it('renders a chat with markdown and code in light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await newContext(browser(), { colorScheme });
      const page = await context.newPage();
      await signUpInBrowser(page);
      await sendMessage(page, await scriptedQuestion(markdownReply(), 'How do I sort numbers?'));
      await waitForReplyStatus(page, 'complete');
      await page.getByRole('heading', { name: 'Sorting in TypeScript' }).waitFor();
      await page.locator('.code-block .hljs-keyword').first().waitFor();
      await page.getByRole('table').waitFor();
      await page.getByTestId('sidebar-session').first().waitFor();
      await page.mouse.move(0, 0);
      await screenshot(page, `chat-${colorScheme}`);
      await context.close();
    }
  });

  it('fits a 375 px wide screen, with the sidebar as a drawer', async () => {
    const context = await newContext(browser(), { width: 375, height: 740 });
    const page = await context.newPage();
    await signUpInBrowser(page);
    await sendMessage(page, await scriptedQuestion(markdownReply(), 'Sorting on a phone'));
    await waitForReplyStatus(page, 'complete');
    await page.getByTestId('sidebar').waitFor({ state: 'hidden' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'mobile-chat');

    await page.getByTestId('toggle-sidebar').click();
    await page.getByTestId('sidebar').waitFor({ state: 'visible' });
    await page.getByTestId('sidebar-session').first().waitFor();
    await page.waitForTimeout(300); // the drawer's slide-in, for the picture only
    await screenshot(page, 'mobile-drawer');
    await page.getByTestId('sidebar-session-title').first().click();
    await page.getByTestId('sidebar').waitFor({ state: 'hidden' });
    await context.close();
  });
});
