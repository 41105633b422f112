import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, newContext, screenshot, signUpInBrowser, useBrowser } from './support/browser';
import { scriptedQuestion, sendMessage, waitForReplyStatus } from './support/chat-page';
import { warmUpPages } from './support/warm-up';

/** The label the offline demo model carries (src/server/chat-engine/model-catalog.ts). */
const demoLabel = 'Demo (offline, no AI provider configured)';
/** A model name as long as real deployments produce (a provider prefix, a size, a quantisation, a date). */
const longModelName = 'meta-llama/Llama-3.3-70B-Instruct-Turbo-Q4_K_M-2026-11-27-xyz';

/** A reply that is wider than any phone: a wide table with inline code in its cells, a long code line. */
const wideReply = [
  'Here is a wide table:',
  '',
  '| option | what it does | default |',
  '| --- | --- | --- |',
  '| `--max-old-space-size=8192` | raises the heap limit of the JavaScript engine considerably | `2048` |',
  '| `--experimental-strip-types` | runs TypeScript files directly without a build step | `false` |',
  '',
  '```sh',
  'node --max-old-space-size=8192 --experimental-strip-types ./scripts/very-long-script-name-for-testing.ts --flag',
  '```',
  '',
  'And a long word: supercalifragilisticexpialidocious-supercalifragilisticexpialidocious.',
].join('\n');

/**
 * Shows the model list this deployment would show with the demo model or a long model name: the ids stay the
 * e2e app's real (fake-provider) models, so sending still works; only what the picker displays changes.
 */
async function showModelLabels(page: Page): Promise<void> {
  await page.route('**/api/trpc/**', async (route) => {
    if (!route.request().url().includes('models.list')) return route.fallback();
    // The test may end (and close the page) while this request is under way.
    const response = await route.fetch().catch(() => null);
    if (!response) return;
    const body = await response.json();
    const relabel = (value: unknown): void => {
      if (!value || typeof value !== 'object') return;
      const record = value as Record<string, unknown>;
      if (Array.isArray(record.models) && 'defaultModelId' in record) {
        const [first, second] = record.models as Record<string, unknown>[];
        if (first) Object.assign(first, { label: demoLabel, isDemo: true });
        if (second) Object.assign(second, { label: longModelName });
        return;
      }
      for (const child of Object.values(record)) relabel(child);
    };
    relabel(body);
    await route.fulfill({ response, json: body }).catch(() => {});
  });
}

/**
 * What does not fit a phone screen: every visible control whose box leaves the viewport sideways, every
 * element scrolled sideways, and the document being wider than the screen.
 */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = window.innerWidth;
    const describe = (element: Element) =>
      `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}[${element.getAttribute('data-testid') ?? element.className}] "${(element.textContent ?? '').trim().slice(0, 30)}"`;
    const controls = document.querySelectorAll(
      'button, a[href], input, select, textarea, [role="button"], [role="combobox"], [role="listbox"], [role="option"], [tabindex]:not([tabindex="-1"])',
    );
    for (const control of controls) {
      if (!control.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const box = control.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      // A control inside a box that scrolls sideways on its own (a wide table) is reachable by scrolling it.
      const scroller = control.parentElement?.closest('.markdown table, .code-block pre');
      if (scroller) continue;
      if (box.left < -0.5 || box.right > width + 0.5) {
        problems.push(`${describe(control)} spans x ${Math.round(box.left)}–${Math.round(box.right)}`);
      }
    }
    for (const element of document.querySelectorAll('*')) {
      if (element.scrollLeft !== 0)
        problems.push(`${describe(element)} scrolled sideways by ${element.scrollLeft}`);
    }
    const scrolling = document.scrollingElement;
    if (scrolling && scrolling.scrollWidth > width)
      problems.push(`the page is ${scrolling.scrollWidth} px wide`);
    if (window.scrollX !== 0) problems.push(`the window is scrolled sideways by ${window.scrollX}`);
    return problems;
  });
}

/** Picks a model as a person does: opens the picker, taps the option, and sees the list close. */
async function pickModel(page: Page, index: number): Promise<void> {
  await page.getByTestId('model-picker').click();
  await page.getByTestId('model-option').nth(index).click();
  await page.getByTestId('model-list').waitFor({ state: 'detached' });
}

/** The full label of the picked model (the picker shows its short name, and the label on hover). */
async function pickedLabel(page: Page): Promise<string> {
  return (await page.getByTestId('model-picker').getAttribute('title')) ?? '';
}

describeInBrowser('phone layout', () => {
  const browser = useBrowser();
  warmUpPages(browser, ['/settings', '/settings/security']);

  for (const width of [320, 375, 414]) {
    it(`keeps every control on a ${width} px screen and nothing scrolled sideways, before and after sending`, async () => {
      const context = await newContext(browser(), {
        width,
        height: 740,
        colorScheme: width === 414 ? 'dark' : 'light',
      });
      const page = await context.newPage();
      await showModelLabels(page);
      await signUpInBrowser(page);
      // The picker is server-rendered; the relabelled list replaces it when the page's own fetch answers.
      await page.getByTestId('demo-model-badge').waitFor();

      for (const [index, label] of [demoLabel, longModelName].entries()) {
        await pickModel(page, index);
        await expect.poll(() => pickedLabel(page), { timeout: 10_000 }).toContain(label);
        expect(await layoutProblems(page), `empty chat, model "${label}"`).toEqual([]);
        // The open list, with the demo's explanation and the long name, stays on the screen too.
        await page.getByTestId('model-picker').click();
        await page.getByTestId('model-list').waitFor();
        expect(await layoutProblems(page), `open model list, model "${label}" picked`).toEqual([]);
        if (index === 1) await screenshot(page, `phone-${width}-model-list`);
        await page.keyboard.press('Escape');
        await page.getByTestId('model-list').waitFor({ state: 'detached' });
      }
      await screenshot(page, `phone-${width}-empty`);

      // Send with the long model picked; check while the reply streams (Stop shown) and after it ends.
      await pickModel(page, 1);
      const tokens = wideReply.match(/[\s\S]{1,8}/g) ?? [];
      await sendMessage(page, await scriptedQuestion({ tokens, tokenDelayMs: 40 }, 'Show me a wide table'));
      await page.getByTestId('stop').waitFor();
      expect(await layoutProblems(page), 'while the reply streams').toEqual([]);
      await waitForReplyStatus(page, 'complete');
      await page.locator('.markdown table').waitFor();
      expect(await layoutProblems(page), 'after the reply').toEqual([]);

      // Stop a second reply half way: the layout stays put as the Stop button turns back into Send.
      const slow = Array.from({ length: 200 }, (_, index) => `word${index} `);
      await sendMessage(page, await scriptedQuestion({ tokens: slow, tokenDelayMs: 50 }, 'Keep talking'));
      await page.getByTestId('stop').click();
      await waitForReplyStatus(page, 'stopped');
      expect(await layoutProblems(page), 'after stopping').toEqual([]);
      await pickModel(page, 0);
      await expect.poll(() => pickedLabel(page), { timeout: 10_000 }).toContain(demoLabel);
      expect(await layoutProblems(page), 'after sending, demo model picked').toEqual([]);
      await screenshot(page, `phone-${width}-chat`);
      await context.close();
    });
  }

  it('keeps the security page (devices, two-factor) inside a 320 px screen', async () => {
    const context = await newContext(browser(), { width: 320, height: 740, colorScheme: 'dark' });
    const page = await context.newPage();
    const user = await signUpInBrowser(page);
    // A second device, so the list offers "Revoke".
    const laptop = await newContext(browser());
    const laptopPage = await laptop.newPage();
    await laptopPage.goto('/sign-in');
    await laptopPage.getByTestId('auth-email').fill(user.email);
    await laptopPage.getByTestId('auth-password').fill(user.password);
    await laptopPage.getByTestId('auth-submit').click();
    await laptopPage.getByTestId('composer').waitFor();
    await laptop.close();
    // The first visit to a page compiles it under `next dev`: give it time on a busy machine.
    await page.goto('/settings/security', { timeout: 90_000 });
    await page.getByTestId('device-revoke').first().waitFor();
    expect(await layoutProblems(page)).toEqual([]);
    await screenshot(page, 'phone-320-security-dark');
    await page.goto('/settings', { timeout: 90_000 });
    await page.getByTestId('profile-name').waitFor({ timeout: 60_000 });
    expect(await layoutProblems(page)).toEqual([]);
    await screenshot(page, 'phone-320-settings-dark');
    await context.close();
  });
});
