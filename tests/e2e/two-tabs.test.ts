import { expect, it } from 'vitest';
import { describeInBrowser, newContext, signUpInBrowser, useBrowser } from './support/browser';
import {
  lastReplyText,
  recordReplyTexts,
  scriptedQuestion,
  sendMessage,
  waitForReplyStatus,
  wordReply,
} from './support/chat-page';

describeInBrowser('two tabs of one user', () => {
  const browser = useBrowser();

  it('tab 2 sees the new chat appear in its sidebar and the reply streaming live', async () => {
    const context = await newContext(browser());
    const first = await context.newPage();
    await signUpInBrowser(first);
    const second = await context.newPage();
    await second.goto('/');
    await second.getByText('No chats yet.').waitFor();
    await second.getByTestId('connection-status').and(second.locator('[data-status="connected"]')).waitFor();

    const reply = wordReply(150, 40);
    const question = await scriptedQuestion(reply.script, 'Two tabs');
    await sendMessage(first, question);

    // The new session shows up in tab 2 by itself (postgres_changes), and tab 2 can follow the reply.
    const entry = second.getByTestId('sidebar-session').first();
    await entry.waitFor();
    await entry.getByTestId('sidebar-session-title').click();
    await second.getByTestId('message-user').filter({ hasText: question }).waitFor();
    const texts = await recordReplyTexts(second);
    await second.locator('[data-testid="message-assistant"][data-status="streaming"]').waitFor();

    await waitForReplyStatus(second, 'complete');
    await waitForReplyStatus(first, 'complete');
    expect(await lastReplyText(second).textContent()).toBe(reply.text);
    expect(await lastReplyText(first).textContent()).toBe(reply.text);
    const streamedInTab2 = (await texts()).filter((text) => text !== reply.text);
    expect(streamedInTab2.length).toBeGreaterThanOrEqual(3);
    await context.close();
  });
});
