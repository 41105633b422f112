import { expect, it } from 'vitest';
import { adminDb } from '../helpers/database';
import { describeInBrowser, newContext, signUpInBrowser, useBrowser } from './support/browser';
import {
  lastReplyText,
  scriptedQuestion,
  sendMessage,
  waitForReplyStatus,
  wordReply,
} from './support/chat-page';

describeInBrowser('offline', () => {
  const browser = useBrowser();

  it('queues a message typed offline and sends it exactly once when the network returns', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    await sendMessage(page, await scriptedQuestion(wordReply(3, 5).script, 'Before going offline'));
    await waitForReplyStatus(page, 'complete');

    await context.setOffline(true);
    await page.getByTestId('connection-status').and(page.locator('[data-status="offline"]')).waitFor();
    const reply = wordReply(8, 10);
    const question = await scriptedQuestion(reply.script, 'Typed in a tunnel');
    await sendMessage(page, question);
    await page.getByTestId('message-queued').waitFor();

    await context.setOffline(false);
    await page.getByTestId('connection-status').and(page.locator('[data-status="connected"]')).waitFor();
    await page.getByTestId('message-queued').waitFor({ state: 'detached' });
    await expect.poll(() => lastReplyText(page).textContent(), { timeout: 20_000 }).toBe(reply.text);

    await page.reload();
    await waitForReplyStatus(page, 'complete');
    expect(await page.getByTestId('message-user').filter({ hasText: question }).count()).toBe(1);
    const db = adminDb();
    const stored = await db
      .selectFrom('chat_messages')
      .select('id')
      .where('content', '=', question)
      .where('role', '=', 'user')
      .execute();
    await db.destroy();
    expect(stored).toHaveLength(1);
    await context.close();
  });
});
