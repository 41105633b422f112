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

  it('reads a chat opened before while offline, says so for one never opened, and forgets them at sign-out', async () => {
    const context = await newContext(browser(), { serviceWorkers: 'allow' });
    const page = await context.newPage();
    await signUpInBrowser(page);
    const reply = wordReply(4, 5);
    await sendMessage(page, await scriptedQuestion(reply.script, 'Saved for the train'));
    await waitForReplyStatus(page, 'complete');
    await expect.poll(() => lastReplyText(page).textContent()).toBe(reply.text);
    const chatPath = new URL(page.url()).pathname;
    const saved = (path: string) =>
      page.evaluate(
        (wanted) =>
          caches.match(wanted, { cacheName: 'chattwelve-pages' }).then((found) => found !== undefined),
        path,
      );

    // Once the worker runs, a load of the chat saves it.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    await expect.poll(() => saved(chatPath)).toBe(true);
    // The API goes around the worker (the browser's static routing): a send never waits for it to wake.
    const apiRoute = await page.evaluate(async () => {
      await (await fetch('/api/health')).text();
      const entry = performance
        .getEntriesByType('resource')
        .findLast((found) => found.name.endsWith('/api/health')) as
        | (PerformanceResourceTiming & { workerMatchedSourceType?: string })
        | undefined;
      return {
        controlled: navigator.serviceWorker.controller !== null,
        matched: entry?.workerMatchedSourceType,
      };
    });
    expect(apiRoute).toEqual({ controlled: true, matched: 'network' });

    await context.setOffline(true);
    await page.reload();
    await expect.poll(() => lastReplyText(page).textContent()).toBe(reply.text);
    // The saved page runs: its scripts were saved too (the app hydrates, though nothing reaches the network).
    await page.locator('main[data-hydrated="true"]').waitFor();
    // A chat never opened here: a plain offline page, not a browser error.
    await page.goto(`/c/${crypto.randomUUID()}`);
    await page.getByTestId('offline-page').waitFor();

    await context.setOffline(false);
    await page.goto(chatPath);
    await page.locator('main[data-hydrated="true"]').waitFor();
    await page.getByTestId('sign-out').click();
    await page.waitForURL('**/sign-in');
    await expect.poll(() => saved(chatPath)).toBe(false);
    await context.setOffline(true);
    await page.goto(chatPath);
    await page.getByTestId('offline-page').waitFor();
    await context.close();
  });
});
