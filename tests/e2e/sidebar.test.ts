import { expect, it } from 'vitest';
import { describeInBrowser, newContext, signUpInBrowser, useBrowser } from './support/browser';
import { insertSessions, userIdByEmail } from './support/user-rows';

describeInBrowser('sidebar', () => {
  const browser = useBrowser();

  it('renames, pins, searches and deletes (with confirmation), and another tab follows along', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    const user = await signUpInBrowser(page);
    await insertSessions(await userIdByEmail(user.email), 3, 'Topic');
    await page.reload();
    const items = page.getByTestId('sidebar-session');
    await items.filter({ hasText: 'Topic 3' }).waitFor();
    const other = await context.newPage();
    await other.goto('/');
    await other.getByTestId('sidebar-session').filter({ hasText: 'Topic 3' }).waitFor();
    await other.getByTestId('connection-status').and(other.locator('[data-status="connected"]')).waitFor();

    // Rename inline.
    const second = items.filter({ hasText: 'Topic 2' });
    await second.hover();
    await second.getByTestId('session-menu').click();
    await second.getByTestId('session-rename').click();
    await page.getByTestId('rename-input').fill('Holiday plans');
    await page.getByTestId('rename-input').press('Enter');
    await items.filter({ hasText: 'Holiday plans' }).waitFor();
    await other.getByTestId('sidebar-session').filter({ hasText: 'Holiday plans' }).waitFor();

    // Pin: it moves under "Pinned".
    const third = items.filter({ hasText: 'Topic 3' });
    await third.hover();
    await third.getByTestId('session-menu').click();
    await third.getByTestId('session-pin').click();
    await third.getByTestId('pin-mark').waitFor();
    await page
      .getByRole('region', { name: 'Pinned' })
      .getByTestId('sidebar-session-title')
      .filter({ hasText: 'Topic 3' })
      .waitFor();
    await other
      .getByRole('region', { name: 'Pinned' })
      .getByTestId('sidebar-session-title')
      .filter({ hasText: 'Topic 3' })
      .waitFor();

    // Search by title.
    await page.getByTestId('sidebar-search').fill('holiday');
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(1);
    expect(await items.first().textContent()).toContain('Holiday plans');
    await page.getByTestId('sidebar-search').fill('');
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(3);

    // Delete asks first; cancel keeps it, confirm removes it here and in the other tab.
    const first = items.filter({ hasText: 'Topic 1' });
    await first.hover();
    await first.getByTestId('session-menu').click();
    await first.getByTestId('session-delete').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await items.filter({ hasText: 'Topic 1' }).count()).toBe(1);
    await first.hover();
    await first.getByTestId('session-menu').click();
    await first.getByTestId('session-delete').click();
    await page.getByRole('dialog').getByTestId('confirm').click();
    await expect.poll(() => items.filter({ hasText: 'Topic 1' }).count(), { timeout: 10_000 }).toBe(0);
    await expect
      .poll(() => other.getByTestId('sidebar-session').filter({ hasText: 'Topic 1' }).count(), {
        timeout: 10_000,
      })
      .toBe(0);
    await context.close();
  });

  it('loads all 200 sessions by scrolling, under their date headings', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    const user = await signUpInBrowser(page);
    await insertSessions(await userIdByEmail(user.email), 200, 'Old chat');
    await page.reload();
    const items = page.getByTestId('sidebar-session');
    await items.first().waitFor();
    expect(await items.count()).toBeLessThan(200);

    const list = page.locator('.session-list');
    await expect
      .poll(
        async () => {
          await list.evaluate((element) => element.scrollTo(0, element.scrollHeight));
          return items.count();
        },
        { timeout: 30_000, interval: 300 },
      )
      .toBe(200);
    expect(await items.last().textContent()).toContain('Old chat 200');
    const titles = await page.getByTestId('sidebar-session-title').allTextContents();
    expect(new Set(titles).size).toBe(200);
    expect(await page.getByRole('heading', { name: 'Today' }).count()).toBe(1);
    await context.close();
  });
});
