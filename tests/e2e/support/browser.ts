import { randomInt, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { whenAppReady } from '../../helpers/app-readiness';
import { launchChromium } from '../../helpers/chromium';

export const appUrl = inject('appUrl');
const appReadinessUrl = inject('appReadinessUrl');
const chromiumPath = inject('chromiumPath');

const browserTestsEnabled = appUrl !== '' && chromiumPath !== '';

/**
 * A suite of browser tests: run when the global setup found a Chromium and started the app (see
 * tests/helpers/e2e-setup.ts). A user journey through a real browser takes seconds, more on a busy machine:
 * a generous timeout, and no retry — a journey that misses a wait has a wait to fix (for behaviour, not time),
 * which `npm run test:under-load` brings out.
 */
export function describeInBrowser(name: string, suite: () => void): void {
  describe.runIf(browserTestsEnabled)(name, { timeout: 120_000 }, () => {
    waitForTheApp();
    suite();
  });
}

/**
 * The app is built and started while the other tests run (tests/helpers/e2e-setup.ts): a file that drives it
 * first waits until it serves. Generous: a production build on a busy 2-core machine takes minutes.
 */
export function waitForTheApp(): void {
  beforeAll(() => whenAppReady(appReadinessUrl), 900_000);
}

export const artifactsDir = path.resolve(import.meta.dirname, '../../../test-artifacts');

/** One Chromium for the test file; each test opens its own contexts (separate cookie jars = separate users). */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium(chromiumPath);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is not launched yet');
    return browser;
  };
}

/**
 * A client address of its own for each browser context, sent as X-Forwarded-For to the app, which the e2e
 * setup runs behind a trusted proxy on 127.0.0.1: production limits auth per client address, and every
 * test user would otherwise be one client (127.0.0.1). Random in 198.18.0.0/15 (reserved for benchmarking):
 * test files run in workers of their own, so no counter is shared between them.
 */
function newClientAddress(): string {
  const host = randomInt(1, 2 ** 17 - 1);
  return `198.${18 + (host >> 16)}.${(host >> 8) & 255}.${host & 255}`;
}

export async function newContext(
  browser: Browser,
  options: {
    width?: number;
    height?: number;
    colorScheme?: 'light' | 'dark';
    /** The app's service worker (offline pages): only the tests of it let it in, the rest see the network. */
    serviceWorkers?: 'allow' | 'block';
  } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    serviceWorkers: options.serviceWorkers ?? 'block',
    baseURL: appUrl,
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    colorScheme: options.colorScheme ?? 'light',
    extraHTTPHeaders: { 'x-forwarded-for': newClientAddress() },
  });
  context.setDefaultTimeout(20_000);
  return context;
}

export interface BrowserUser {
  email: string;
  password: string;
  name: string;
}

/** Signs a new user up through the sign-up page, as a person would, and waits for the chat page. */
export async function signUpInBrowser(page: Page, name = 'Ada Lovelace'): Promise<BrowserUser> {
  const user = { email: `e2e-${randomUUID()}@example.test`, password: `pw-${randomUUID()}`, name };
  await page.goto('/sign-up');
  await page.getByTestId('auth-name').fill(user.name);
  await page.getByTestId('auth-email').fill(user.email);
  await page.getByTestId('auth-password').fill(user.password);
  await page.getByTestId('auth-submit').click();
  await page.getByTestId('composer').waitFor();
  return user;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(artifactsDir, { recursive: true });
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: false });
}
