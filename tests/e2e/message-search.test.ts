import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { insertExchange } from '../helpers/chat-rows';
import { adminDb } from '../helpers/database';
import { describeInBrowser, newContext, signUpInBrowser, useBrowser } from './support/browser';
import { userIdByEmail } from './support/user-rows';
import { warmUpPages } from './support/warm-up';

/**
 * A new user signed in on a page, with a chat of theirs written straight into the tables by `seed` (which
 * returns the id of the message the test searches for); the page is reloaded to show it.
 */
async function userWithSeededChat(
  browser: Browser,
  title: string,
  seed: (db: ReturnType<typeof adminDb>, userId: string, chatId: string) => Promise<string>,
): Promise<{ page: Page; hitId: string }> {
  const page = await (await newContext(browser)).newPage();
  const user = await signUpInBrowser(page);
  const userId = await userIdByEmail(user.email);
  const db = adminDb();
  try {
    const chat = await db
      .insertInto('chat_sessions')
      .values({ user_id: userId, title })
      .returning('id')
      .executeTakeFirstOrThrow();
    const hitId = await seed(db, userId, chat.id);
    await page.reload();
    return { page, hitId };
  } finally {
    await db.destroy();
  }
}

describeInBrowser('search inside messages', () => {
  const browser = useBrowser();
  // The chat page compiles on first visit (any id will do: a missing chat renders the same route).
  warmUpPages(browser, [`/c/${crypto.randomUUID()}`]);

  it('shows chats whose messages match, with the hit marked, and opens the chat at that message', async () => {
    const { page, hitId } = await userWithSeededChat(
      browser(),
      'Kitchen notes',
      async (db, userId, chatId) => {
        const start = Date.now() - 3_600_000;
        const early = await insertExchange(
          db,
          userId,
          chatId,
          'How long should <b>quinoa</b> simmer?',
          'Fifteen minutes.',
          new Date(start),
        );
        // More of the chat after it: the hit is not where the chat opens, and further back than the 60
        // messages a long chat first renders.
        for (let i = 1; i <= 40; i++) {
          await insertExchange(
            db,
            userId,
            chatId,
            `Other question ${i}`,
            'Line\n'.repeat(8),
            new Date(start + i * 1000),
          );
        }
        return early[0]?.id ?? '';
      },
    );

    await page.getByTestId('sidebar-search').fill('quinoa');
    const hit = page.getByTestId('message-search-hit');
    await hit.waitFor();
    expect(await hit.count()).toBe(1);
    // The typed markup is never rendered as markup (ts_headline drops tags from the excerpt text).
    expect(await hit.getByTestId('message-search-snippet').textContent()).toMatch(/should\s+quinoa\s+simmer/);
    expect(await hit.locator('b').count()).toBe(0);
    expect(await hit.locator('mark').allTextContents()).toEqual(['quinoa']);

    await hit.getByRole('link').click();
    await page.waitForURL(`**#message-${hitId}`);
    // The chat opens with the matching message in it, addressable by the link's #message-<id>.
    const message = page.locator(`[id="message-${hitId}"]`);
    await message.getByText('quinoa').waitFor({ timeout: 15_000 });
    // Brought into view and marked, though the chat opened on its latest messages.
    await page.locator(`[id="message-${hitId}"][data-search-hit="true"]`).waitFor();
    await expect
      .poll(() =>
        message.evaluate((element) => {
          const box = element.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }),
      )
      .toBe(true);
  });

  it('opens a hit in a version that is not shown on that version, and the choice survives a reload', async () => {
    const { page, hitId } = await userWithSeededChat(
      browser(),
      'Dinner plans',
      async (db, userId, chatId) => {
        const at = (seconds: number) => new Date(Date.now() - 3_600_000 + seconds * 1000);
        const version = async (question: string, answer: string, seconds: number) => {
          const asked = await db
            .insertInto('chat_messages')
            .values({
              session_id: chatId,
              user_id: userId,
              role: 'user',
              content: question,
              parent_id: null,
              created_at: at(seconds),
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          return db
            .insertInto('chat_messages')
            .values({
              session_id: chatId,
              user_id: userId,
              role: 'assistant',
              content: answer,
              status: 'complete',
              parent_id: asked.id,
              reply_to_id: asked.id,
              created_at: at(seconds + 1),
            })
            .returning('id')
            .executeTakeFirstOrThrow();
        };
        // The first version mentions saffron; the second (an edit of the question) is the one shown.
        const hit = await version('What goes in paella?', 'Rice, saffron and stock.', 0);
        const shownLeaf = await version('What goes in risotto?', 'Rice, butter and parmesan.', 10);
        await db
          .updateTable('chat_sessions')
          .set({ current_leaf_id: shownLeaf.id })
          .where('id', '=', chatId)
          .execute();
        return hit.id;
      },
    );

    await page.getByTestId('sidebar-search').fill('saffron');
    const hit = page.getByTestId('message-search-hit');
    await hit.waitFor();
    await hit.getByRole('link').click();
    await page.waitForURL(`**#message-${hitId}`);
    // The version holding the hit is shown, not the one the chat had open, and the hit is marked.
    await page.locator(`[id="message-${hitId}"][data-search-hit="true"]`).waitFor({ timeout: 15_000 });
    const replies = page.getByTestId('message-assistant').getByTestId('message-text');
    expect(await replies.allTextContents()).toEqual(['Rice, saffron and stock.']);
    const versions = page.getByTestId('message-user').first().getByTestId('message-branch-index');
    await expect.poll(() => versions.textContent()).toBe('1/2');

    // The server remembers the switch: a reload without the link opens the same version.
    await page.goto(page.url().split('#')[0] ?? '');
    await page.locator('main[data-hydrated="true"]').waitFor();
    await expect.poll(() => replies.allTextContents()).toEqual(['Rice, saffron and stock.']);
  });
});
