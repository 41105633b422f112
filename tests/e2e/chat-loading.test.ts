import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { routeScriptBytes } from '../helpers/route-scripts';
import { describeInBrowser, newContext, signUpInBrowser, useBrowser } from './support/browser';
import { scriptedQuestion, sendMessage, waitForReplyStatus, wordReply } from './support/chat-page';
import { insertChatOfMessages, userIdByEmail } from './support/user-rows';

/** The most gzipped JavaScript a chat may load before it is interactive (issue #14; lazy chunks come after). */
const CHAT_ROUTE_JS_BUDGET_KB = 200;

/** The tRPC procedures a page calls from now on (a batch names each of them). */
function recordProcedureCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/trpc/'))
      calls.push(...url.pathname.slice('/api/trpc/'.length).split(','));
  });
  return calls;
}

describeInBrowser('opening a chat', () => {
  const browser = useBrowser();

  it('shows the messages the server rendered without fetching them again, and stays live', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    const user = await signUpInBrowser(page);
    const sessionId = await insertChatOfMessages(await userIdByEmail(user.email), 40, 'A chat opened once');

    const calls = recordProcedureCalls(page);
    // Once its feed is joined, the page asks whether the chat still shows what it rendered (sessions.get).
    const confirmed = page.waitForResponse((response) =>
      new URL(response.url()).pathname.split(',').some((part) => part.endsWith('sessions.get')),
    );
    await page.goto(`/c/${sessionId}`);
    await page.getByText('Message 40', { exact: true }).waitFor();
    await confirmed;
    const callsOnOpening = [...calls];

    // Another tab writes into the chat: this one shows the question and the whole reply, so its feed is live.
    // (What a send changes may come as a new path to read, so calls from here on are not the opening's.)
    const other = await context.newPage();
    await other.goto(`/c/${sessionId}`);
    const reply = wordReply(12, 10);
    const question = await scriptedQuestion(reply.script, 'From the other tab');
    await sendMessage(other, question);
    await page.getByTestId('message-user').filter({ hasText: question }).waitFor();
    await waitForReplyStatus(page, 'complete');
    await page.getByTestId('message-assistant').last().getByText(reply.text).waitFor();

    expect(callsOnOpening.filter((call) => call === 'messages.list')).toEqual([]);
    expect(callsOnOpening.filter((call) => call === 'sessions.get')).toHaveLength(1);
    await context.close();
  });

  it(`ships at most ${CHAT_ROUTE_JS_BUDGET_KB} KB of gzipped JavaScript to a chat`, async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    const reply = wordReply(8, 10);
    await sendMessage(page, await scriptedQuestion(reply.script, 'Measure the page'));
    await waitForReplyStatus(page, 'complete');

    // A fresh load of the chat, as a returning user opens it: the scripts its HTML names, which run before
    // it is interactive, compressed as served. Lazy chunks (realtime client, markdown, highlighter) follow.
    const fresh = await context.newPage();
    await fresh.goto(page.url());
    await fresh.locator('main[data-hydrated="true"]').waitFor();
    await fresh.getByTestId('message-assistant').getByText(reply.text).waitFor();
    const { initial: interactive, all } = await routeScriptBytes(fresh);
    console.log(
      `chat route JavaScript, gzipped: ${(interactive / 1024).toFixed(1)} KB until interactive, ${(all / 1024).toFixed(1)} KB loaded so far`,
    );
    expect(interactive / 1024).toBeLessThanOrEqual(CHAT_ROUTE_JS_BUDGET_KB);
    await context.close();
  });
});
