import { expect, it } from 'vitest';
import { describeInBrowser, newContext, signUpInBrowser, useBrowser } from './support/browser';
import {
  lastReplyText,
  scriptedQuestion,
  sendMessage,
  waitForReplyStatus,
  wordReply,
} from './support/chat-page';

describeInBrowser('a reply survives the page', () => {
  const browser = useBrowser();

  it('continues after a reload mid-stream and ends exactly right', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    const reply = wordReply(150, 30);
    const question = await scriptedQuestion(reply.script, 'Reload me');
    await sendMessage(page, question);
    await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    await expect
      .poll(async () => (await lastReplyText(page).textContent())?.length ?? 0, { timeout: 20_000 })
      .toBeGreaterThan(20);

    await page.reload();
    await page.getByTestId('message-user').filter({ hasText: question }).waitFor();
    await waitForReplyStatus(page, 'complete');
    expect(await lastReplyText(page).textContent()).toBe(reply.text);
    await context.close();
  });

  it('keeps the partial reply after stop, also after a reload', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    const reply = wordReply(400, 40);
    const question = await scriptedQuestion(reply.script, 'Stop me');
    await sendMessage(page, question);
    await expect
      .poll(async () => (await lastReplyText(page).textContent())?.length ?? 0, { timeout: 20_000 })
      .toBeGreaterThan(20);

    await page.getByTestId('stop').click();
    await waitForReplyStatus(page, 'stopped');
    await page.getByTestId('reply-stopped').waitFor();
    const partial = (await lastReplyText(page).textContent()) ?? '';
    expect(partial.length).toBeGreaterThan(20);
    expect(reply.text.startsWith(partial)).toBe(true);
    expect(partial.length).toBeLessThan(reply.text.length);

    await page.reload();
    await waitForReplyStatus(page, 'stopped');
    expect(await lastReplyText(page).textContent()).toBe(partial);
    // The composer is free again.
    expect(await page.getByTestId('send').isVisible()).toBe(true);
    await context.close();
  });
});
