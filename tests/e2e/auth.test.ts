import { expect, it } from 'vitest';
import { describeInBrowser, newContext, signUpInBrowser, useBrowser } from './support/browser';

describeInBrowser('auth pages', () => {
  const browser = useBrowser();

  it('sends a signed-out visitor to sign in, and a new account lands in the app with its sidebar', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in to ChatTwelve' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');

    const user = await signUpInBrowser(page);
    await page.getByTestId('sidebar').waitFor();
    await expect
      .poll(() => page.getByTestId('signed-in-as').textContent(), { timeout: 10_000 })
      .toBe(user.email);
    await page.getByText('No chats yet.').waitFor();
    await page.getByTestId('connection-status').and(page.locator('[data-status="connected"]')).waitFor();
    expect(await page.getByTestId('composer').isVisible()).toBe(true);
    await context.close();
  });

  it('signs out, refuses a wrong password, and signs back in', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    const user = await signUpInBrowser(page);
    await page.getByTestId('sign-out').click();
    await page.getByRole('heading', { name: 'Sign in to ChatTwelve' }).waitFor();

    await page.getByTestId('auth-email').fill(user.email);
    await page.getByTestId('auth-password').fill('not-the-password');
    await page.getByTestId('auth-submit').click();
    await page.getByRole('alert').waitFor();

    await page.getByTestId('auth-password').fill(user.password);
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('sidebar').waitFor();
    expect(await page.getByTestId('signed-in-as').textContent()).toBe(user.email);
    await context.close();
  });
});
