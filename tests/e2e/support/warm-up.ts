import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { beforeAll } from 'vitest';
import { newContext } from './browser';

/**
 * Visits the given pages once before the file's tests, as a signed-in user, with generous time: under
 * `next dev` the first visit compiles a page, which on a busy machine outlasts a test's own waits.
 */
export function warmUpPages(browser: () => Browser, paths: string[]): void {
  beforeAll(async () => {
    const context = await newContext(browser());
    context.setDefaultTimeout(180_000);
    const page = await context.newPage();
    await page.goto('/sign-up');
    await page.getByTestId('auth-name').fill('Warm Up');
    await page.getByTestId('auth-email').fill(`warm-up-${randomUUID()}@example.test`);
    await page.getByTestId('auth-password').fill(`pw-${randomUUID()}`);
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('composer').waitFor();
    for (const path of paths) await page.goto(path);
    await context.close();
  }, 600_000);
}
