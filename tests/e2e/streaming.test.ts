import { expect, it } from 'vitest';
import { adminDb } from '../helpers/database';
import { describeInBrowser, newContext, signUpInBrowser, useBrowser } from './support/browser';
import {
  lastReplyText,
  recordReplyTexts,
  scriptedQuestion,
  sendMessage,
  waitForReplyStatus,
  wordReply,
} from './support/chat-page';

describeInBrowser('streaming a reply', () => {
  const browser = useBrowser();

  it('shows the reply growing in place and ends with exactly what the provider wrote', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    const reply = wordReply(60, 25);
    const question = await scriptedQuestion(reply.script);

    const texts = await recordReplyTexts(page);
    await sendMessage(page, question);
    await page.getByTestId('message-user').filter({ hasText: question }).waitFor();
    await waitForReplyStatus(page, 'complete');

    expect(await lastReplyText(page).textContent()).toBe(reply.text);
    const seen = await texts();
    const intermediate = seen.filter((text) => text !== reply.text);
    expect(intermediate.length).toBeGreaterThanOrEqual(3);
    for (const text of intermediate) expect(reply.text.startsWith(text)).toBe(true);

    // The page moved to the new chat's address, and the stored reply is byte-identical.
    const sessionId = new URL(page.url()).pathname.split('/')[2] ?? '';
    expect(page.url()).toMatch(/\/c\/[0-9a-f-]{36}$/);
    const db = adminDb();
    const stored = await db
      .selectFrom('chat_messages')
      .select(['content', 'status'])
      .where('session_id', '=', sessionId)
      .where('role', '=', 'assistant')
      .executeTakeFirstOrThrow();
    await db.destroy();
    expect(stored).toEqual({ content: reply.text, status: 'complete' });
    await context.close();
  });

  it('keeps the new chat in the sidebar and shows the same conversation after a reload', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    const reply = wordReply(5, 5);
    const question = await scriptedQuestion(reply.script, 'Second question');
    await sendMessage(page, question);
    await waitForReplyStatus(page, 'complete');
    await page.getByTestId('sidebar-session').first().waitFor();

    await page.reload();
    await page.getByTestId('message-user').filter({ hasText: question }).waitFor();
    expect(await lastReplyText(page).textContent()).toBe(reply.text);
    await expect.poll(() => page.getByTestId('sidebar-session').count(), { timeout: 10_000 }).toBe(1);
    await context.close();
  });
});

describeInBrowser('following a long reply', () => {
  const browser = useBrowser();

  it('keeps the newest text in view until the user scrolls up, then leaves the view where they put it', async () => {
    const context = await newContext(browser(), { width: 1000, height: 600 });
    const page = await context.newPage();
    await signUpInBrowser(page);
    // Long enough (about 15 s) to be still streaming when the test scrolls up, even on a busy machine.
    const tokens = Array.from({ length: 300 }, (_, index) =>
      index % 4 === 3 ? ` line ${index}\n\n` : ` word${index}`,
    );
    const question = await scriptedQuestion({ tokens, tokenDelayMs: 50 }, 'A long answer please');
    await sendMessage(page, question);
    const messages = page.getByTestId('messages');
    const distanceFromBottom = () =>
      messages.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight);
    const scrollHeight = () => messages.evaluate((element) => element.scrollHeight);

    // While it streams and overflows, the view follows it.
    const overflow = () => messages.evaluate((element) => element.scrollHeight - element.clientHeight);
    await expect.poll(overflow, { timeout: 20_000 }).toBeGreaterThan(300);
    // It follows on the next frame after a delta lands, so a measurement can fall between the two.
    await expect.poll(distanceFromBottom, { timeout: 5_000 }).toBeLessThan(48);

    // Scrolled up to re-read: the view stays put while the reply keeps growing.
    const box = await messages.boundingBox();
    await page.mouse.move((box?.x ?? 0) + 100, (box?.y ?? 0) + 100);
    await page.mouse.wheel(0, -100_000);
    const scrollTop = () => messages.evaluate((element) => element.scrollTop);
    await expect.poll(scrollTop, { timeout: 10_000 }).toBe(0);
    const heightWhenScrolledUp = await scrollHeight();
    expect(await page.getByTestId('message-assistant').last().getAttribute('data-status')).toBe('streaming');
    await waitForReplyStatus(page, 'complete');
    expect(await scrollHeight()).toBeGreaterThan(heightWhenScrolledUp);
    expect(await scrollTop()).toBe(0);

    // The whole reply was announced once, at the end, for screen readers (raw text; the page shows it rendered).
    const withoutSpaces = (text: string | null) => (text ?? '').replace(/\s+/g, '');
    expect(withoutSpaces(await page.getByTestId('reply-live-region').textContent())).toBe(
      withoutSpaces(await lastReplyText(page).textContent()),
    );
    await context.close();
  });
});
