import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { seriousViolations } from './support/axe';
import { describeInBrowser, newContext, screenshot, signUpInBrowser, useBrowser } from './support/browser';

const smallModel = 'openai-compatible/fake-model';
const largeModel = 'openai-compatible/fake-model-large';

/** The option the keyboard is on, as a screen reader hears it (aria-activedescendant), or null. */
function activeOption(page: Page): Promise<string | null> {
  return page.getByTestId('model-picker').evaluate((picker) => {
    const id = picker.getAttribute('aria-activedescendant');
    return id ? (document.getElementById(id)?.textContent ?? null) : null;
  });
}

function focusedTestId(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
}

describeInBrowser('model picker', () => {
  const browser = useBrowser();

  it('opens, moves, picks and closes from the keyboard, keeping focus on the picker, and remembers the pick', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    await page.locator('main[data-hydrated="true"]').waitFor();
    const picker = page.getByRole('combobox', { name: 'Model' });
    const list = page.getByRole('listbox', { name: 'Model' });
    expect(await picker.getAttribute('data-value')).toBe(smallModel);
    expect(await picker.getAttribute('aria-haspopup')).toBe('listbox');
    expect(await picker.getAttribute('aria-expanded')).toBe('false');
    // Each model is named once: no "label · id".
    expect((await picker.textContent())?.trim()).toBe('fake-model');

    await picker.focus();
    await page.keyboard.press('ArrowDown');
    await list.waitFor();
    expect(await picker.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => activeOption(page)).toBe('fake-model');
    expect(await page.getByRole('option', { selected: true }).textContent()).toBe('fake-model');
    await page.keyboard.press('End');
    await expect.poll(() => activeOption(page)).toBe('fake-model-large');
    await page.keyboard.press('Home');
    await expect.poll(() => activeOption(page)).toBe('fake-model');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => activeOption(page)).toBe('fake-model-large');

    // Escape closes without picking, and focus never left the picker.
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
    expect(await picker.getAttribute('data-value')).toBe(smallModel);
    expect(await focusedTestId(page)).toBe('model-picker');

    // Enter opens, ↓ moves, Enter picks and closes.
    await page.keyboard.press('Enter');
    await list.waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await list.waitFor({ state: 'detached' });
    expect(await picker.getAttribute('data-value')).toBe(largeModel);
    expect((await picker.textContent())?.trim()).toBe('fake-model-large');
    expect(await focusedTestId(page)).toBe('model-picker');

    // A click elsewhere closes the list.
    await picker.click();
    await list.waitFor();
    await page.getByTestId('composer').click();
    await list.waitFor({ state: 'detached' });
    expect(await picker.getAttribute('data-value')).toBe(largeModel);

    // The screen narrowing (a phone turning) keeps the list open, placed inside the new width.
    await picker.click();
    await list.waitFor();
    await page.setViewportSize({ width: 320, height: 640 });
    await expect
      .poll(async () => {
        const box = await list.boundingBox();
        return box !== null && box.x >= 0 && box.x + box.width <= 320 && box.y >= 0;
      })
      .toBe(true);
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });

    // The pick is remembered in this browser.
    await page.reload();
    await expect.poll(() => picker.getAttribute('data-value'), { timeout: 20_000 }).toBe(largeModel);
    await context.close();
  });

  it('has no serious or critical axe findings with the list open, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await newContext(browser(), { colorScheme });
      const page = await context.newPage();
      await signUpInBrowser(page);
      await page.locator('main[data-hydrated="true"]').waitFor();
      await page.getByTestId('model-picker').click();
      await page.getByTestId('model-list').waitFor();
      await page.getByRole('option', { name: 'fake-model-large' }).hover();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `model-list-open-${colorScheme}`);
      await context.close();
    }
  });
});
