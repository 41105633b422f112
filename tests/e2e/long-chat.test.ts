import { expect, it } from 'vitest';
import { adminDb } from '../helpers/database';
import { describeInBrowser, newContext, signUpInBrowser, useBrowser } from './support/browser';
import { userIdByEmail } from './support/user-rows';

describeInBrowser('a long chat', () => {
  const browser = useBrowser();

  it('opens on its latest messages and shows earlier ones on request', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    const user = await signUpInBrowser(page);
    const userId = await userIdByEmail(user.email);
    const db = adminDb();
    const session = await db
      .insertInto('chat_sessions')
      .values({ user_id: userId, title: 'A long chat' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const start = Date.now() - 200_000;
    await db
      .insertInto('chat_messages')
      .values(
        Array.from({ length: 150 }, (_, index) => ({
          session_id: session.id,
          user_id: userId,
          role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
          content: `Message ${index + 1}`,
          status: 'complete' as const,
          created_at: new Date(start + index * 1000),
        })),
      )
      .execute();
    await db.destroy();

    await page.goto(`/c/${session.id}`);
    const shown = page.locator('[data-testid="message-user"], [data-testid="message-assistant"]');
    await page.getByText('Message 150', { exact: true }).waitFor();
    expect(await shown.count()).toBe(60);
    expect(await page.getByText('Message 1', { exact: true }).count()).toBe(0);

    await page.getByTestId('show-earlier').click();
    await page.getByText('Message 1', { exact: true }).waitFor();
    expect(await shown.count()).toBe(150);
    expect(await page.getByTestId('show-earlier').count()).toBe(0);
    await context.close();
  });
});
