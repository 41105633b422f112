import { expect, it } from 'vitest';
import { describeInBrowser, newContext, screenshot, signUpInBrowser, useBrowser } from './support/browser';
import {
  markdownReply,
  recordReplyTexts,
  scriptedQuestion,
  sendMessage,
  waitForReplyStatus,
} from './support/chat-page';
import { warmUpPages } from './support/warm-up';

/** Markdown syntax a reader should never see on screen in the sample reply. */
const rawSyntax = ['**', '| ---', '|---', '```', '## '];

describeInBrowser('markdown rendering', () => {
  const browser = useBrowser();
  warmUpPages(browser, []);

  it('never shows unfinished markdown syntax while a reply streams', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    // Markdown's chunk is fetched when the page is idle; a reply arriving before it would show plain text.
    await page.waitForFunction(() => document.querySelector('main[data-hydrated="true"]'));
    const texts = await recordReplyTexts(page);
    await sendMessage(page, await scriptedQuestion(markdownReply(25), 'How do I sort numbers?'));
    await waitForReplyStatus(page, 'complete');
    await page.getByRole('table').waitFor();
    const seen = await texts();
    expect(seen.length).toBeGreaterThan(5);
    const flashes = seen.filter((text) => rawSyntax.some((syntax) => text.includes(syntax)));
    expect(flashes).toEqual([]);
    await context.close();
  });

  it('serves a reloaded chat as rendered markdown, before any script runs', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    await sendMessage(page, await scriptedQuestion(markdownReply(), 'How do I sort numbers?'));
    await waitForReplyStatus(page, 'complete');
    await page.getByTestId('sidebar-session').first().waitFor();
    const chatUrl = page.url();

    // The server's HTML alone, as a reload paints it before the scripts arrive.
    const noScript = await browser().newContext({
      baseURL: new URL(chatUrl).origin,
      javaScriptEnabled: false,
      storageState: await context.storageState(),
      viewport: { width: 1280, height: 800 },
    });
    const firstPaint = await noScript.newPage();
    await firstPaint.goto(chatUrl, { timeout: 60_000 });
    const reply = firstPaint.getByTestId('message-assistant').last().getByTestId('message-text');
    await reply.getByRole('heading', { name: 'Sorting in TypeScript' }).waitFor();
    expect(await reply.getByRole('table').count()).toBe(1);
    expect(await reply.locator('strong').count()).toBeGreaterThan(0);
    expect(await reply.locator('pre code').count()).toBe(1);
    expect(await reply.locator('pre code').textContent()).toContain(
      'const ranked = scores.toSorted((a, b) => a - b);',
    );
    expect(await reply.locator('.code-block-bar').textContent()).toContain('ts');
    const shown = (await reply.textContent()) ?? '';
    expect(rawSyntax.filter((syntax) => shown.includes(syntax))).toEqual([]);
    // The sidebar lists the chat and the composer offers a model before any script has run.
    await firstPaint.getByTestId('sidebar-session').first().waitFor();
    expect(await firstPaint.getByTestId('model-picker').count()).toBe(1);
    await screenshot(firstPaint, 'first-paint-no-script');
    await noScript.close();
    await context.close();
  });
});
