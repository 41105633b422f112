import { expect, it } from 'vitest';
import { describeInBrowser, newContext, signUpInBrowser, useBrowser } from './support/browser';
import { scriptedQuestion, sendMessage, waitForReplyStatus, wordReply } from './support/chat-page';

describeInBrowser('one user cannot see another', () => {
  const browser = useBrowser();

  it("gives user B not-found for A's chat, and never shows A's sessions in B's sidebar", async () => {
    const contextA = await newContext(browser());
    const contextB = await newContext(browser());
    const pageA = await contextA.newPage();
    const pageB = await contextB.newPage();
    await signUpInBrowser(pageA, 'Alice');
    await signUpInBrowser(pageB, 'Bob');
    await pageB.getByText('No chats yet.').waitFor();
    await pageB.getByTestId('connection-status').and(pageB.locator('[data-status="connected"]')).waitFor();

    const question = await scriptedQuestion(wordReply(10, 10).script, 'Private to Alice');
    await sendMessage(pageA, question);
    await waitForReplyStatus(pageA, 'complete');
    await pageA.getByTestId('sidebar-session').first().waitFor();
    const chatOfA = new URL(pageA.url()).pathname;
    expect(chatOfA).toMatch(/^\/c\//);

    const response = await pageB.goto(chatOfA);
    expect(response?.status()).toBe(404);
    await pageB.getByTestId('not-found').waitFor();
    expect(await pageB.getByText(question).count()).toBe(0);

    await pageB.goto('/');
    await pageB.getByText('No chats yet.').waitFor();
    expect(await pageB.getByTestId('sidebar-session').count()).toBe(0);
    await contextA.close();
    await contextB.close();
  });
});
