import { expect, it } from 'vitest';
import { describeInBrowser, newContext, signUpInBrowser, useBrowser } from './support/browser';
import { insertChatOfMessages, userIdByEmail } from './support/user-rows';

describeInBrowser('a long chat', () => {
  const browser = useBrowser();

  it('opens on its latest messages and shows earlier ones on request', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    const user = await signUpInBrowser(page);
    const userId = await userIdByEmail(user.email);
    const sessionId = await insertChatOfMessages(userId, 150, 'A long chat');

    await page.goto(`/c/${sessionId}`);
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
