import { expect, it } from 'vitest';
import { describeInBrowser, newContext, signUpInBrowser, useBrowser } from './support/browser';
import {
  lastReplyText,
  recordReplyTexts,
  scriptedQuestion,
  sendMessage,
  waitForReplyStatus,
} from './support/chat-page';
import { warmUpPages } from './support/warm-up';

describeInBrowser('smooth streaming', () => {
  const browser = useBrowser();
  warmUpPages(browser, []);

  it('reveals a reply sent in a few large pieces as a steady stream, and shows all of it at the end', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    await page.waitForFunction(() => document.querySelector('main[data-hydrated="true"]'));
    // Six pieces of ~60 characters, a quarter of a second apart: far fewer deltas than words.
    const tokens = Array.from(
      { length: 6 },
      (_, index) => `Piece${index} says a handful of plain words to fill one large delta. `,
    );
    const texts = await recordReplyTexts(page);
    await sendMessage(page, await scriptedQuestion({ tokens, tokenDelayMs: 250 }, 'Talk in large pieces'));
    await waitForReplyStatus(page, 'complete');
    const full = tokens.join('').trim();
    expect((await lastReplyText(page).textContent())?.trim()).toBe(full);
    const seen = await texts();
    // Each piece shows up over several frames, not in one jump; every step is a prefix of the reply.
    expect(seen.length).toBeGreaterThan(tokens.length * 3);
    for (const text of seen) expect(full.startsWith(text.trim())).toBe(true);
    await context.close();
  });
});
