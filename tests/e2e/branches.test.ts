import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, inject, it } from 'vitest';
import { scriptFakeReply } from '../helpers/fake-llm-control';
import { artifactsDir, describeInBrowser, newContext, signUpInBrowser, useBrowser } from './support/browser';
import { lastReplyText, scriptedQuestion, sendMessage, waitForReplyStatus } from './support/chat-page';

const controlUrl = inject('fakeLlmControlUrl');

/** The shown conversation as the user reads it: each message's text, in order. */
async function shownTexts(page: Page): Promise<string[]> {
  return page
    .locator(
      '[data-testid="message-user"] [data-testid="message-text"], [data-testid="message-assistant"] [data-testid="message-text"]',
    )
    .allTextContents();
}

/** The ‹ n/m › control of the first question. */
function firstQuestionVersions(page: Page) {
  return page.getByTestId('message-user').first().getByTestId('message-branch-index');
}

async function hydrated(page: Page): Promise<void> {
  await page.locator('main[data-hydrated="true"]').waitFor();
}

describeInBrowser('branches', () => {
  const browser = useBrowser();

  it('editing the first question opens a new branch; the old one stays, survives reload, and a second tab follows', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    const first = await scriptedQuestion({ tokens: ['First', ' answer'] }, 'First question');
    await sendMessage(page, first);
    await waitForReplyStatus(page, 'complete');
    await expect.poll(() => lastReplyText(page).textContent()).toBe('First answer');
    const second = await scriptedQuestion({ tokens: ['Second', ' answer'] }, 'Second question');
    await sendMessage(page, second);
    await expect.poll(() => lastReplyText(page).textContent(), { timeout: 20_000 }).toBe('Second answer');
    await waitForReplyStatus(page, 'complete');

    const edited = await scriptedQuestion({ tokens: ['Edited', ' answer'] }, 'Edited question');
    await page.getByTestId('message-user').first().hover();
    await page.getByTestId('message-user').first().getByTestId('edit-message').click();
    await page.getByTestId('edit-input').fill(edited);
    await page.getByTestId('edit-input').press('Enter');
    await expect.poll(() => shownTexts(page), { timeout: 20_000 }).toEqual([edited, 'Edited answer']);
    await waitForReplyStatus(page, 'complete');
    await expect.poll(() => firstQuestionVersions(page).textContent()).toBe('2/2');
    expect(await page.getByTestId('message-branch-next').first().isDisabled()).toBe(true);

    // The old branch, both exchanges intact.
    await page.getByTestId('message-branch-prev').first().click();
    await expect
      .poll(() => shownTexts(page), { timeout: 20_000 })
      .toEqual([first, 'First answer', second, 'Second answer']);
    expect(await firstQuestionVersions(page).textContent()).toBe('1/2');

    // The choice is the server's: a reload keeps it.
    await page.reload();
    await hydrated(page);
    expect(await shownTexts(page)).toEqual([first, 'First answer', second, 'Second answer']);
    expect(await firstQuestionVersions(page).textContent()).toBe('1/2');

    // A second tab shows the same branch and follows a switch made in the first.
    const other = await context.newPage();
    await other.goto(page.url());
    await hydrated(other);
    await expect.poll(() => firstQuestionVersions(other).textContent()).toBe('1/2');
    await page.getByTestId('message-branch-next').first().click();
    await expect.poll(() => shownTexts(page), { timeout: 20_000 }).toEqual([edited, 'Edited answer']);
    await expect.poll(() => shownTexts(other), { timeout: 20_000 }).toEqual([edited, 'Edited answer']);
    expect(await firstQuestionVersions(other).textContent()).toBe('2/2');

    // Pictures of the control in both themes, for a person to look at (test-artifacts/).
    await mkdir(artifactsDir, { recursive: true });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.getByTestId('message-user').first().hover();
      await page
        .getByTestId('message-user')
        .first()
        .screenshot({ path: path.join(artifactsDir, `branch-switcher-${colorScheme}.png`) });
    }
    await context.close();
  });

  it('a new version keeps streaming while an older one is shown, and is complete when switched back to', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    const question = await scriptedQuestion({ tokens: ['Old', ' reply'] }, 'Regenerate me');
    await sendMessage(page, question);
    await waitForReplyStatus(page, 'complete');
    await expect.poll(() => lastReplyText(page).textContent()).toBe('Old reply');

    const tokens = Array.from({ length: 40 }, (_, index) => (index === 0 ? 'New' : ` n${index}`));
    const cue = /\[(cue-[^\]]+)\]/.exec(question)?.[1] ?? '';
    await scriptFakeReply(controlUrl, cue, { tokens, tokenDelayMs: 50 });
    await page.getByTestId('regenerate').click();
    await page.locator('[data-testid="message-assistant"][data-status="streaming"]').waitFor();
    await expect.poll(() => lastReplyText(page).textContent(), { timeout: 20_000 }).toMatch(/^New/);

    // Back to the first reply while the new one is still being written.
    await page.getByTestId('message-assistant').getByTestId('message-branch-prev').click();
    await expect.poll(() => lastReplyText(page).textContent(), { timeout: 20_000 }).toBe('Old reply');
    expect(
      await page.getByTestId('message-assistant').getByTestId('message-branch-index').textContent(),
    ).toBe('1/2');

    await page.getByTestId('message-assistant').getByTestId('message-branch-next').click();
    await waitForReplyStatus(page, 'complete');
    await expect.poll(() => lastReplyText(page).textContent(), { timeout: 20_000 }).toBe(tokens.join(''));
    expect(
      await page.getByTestId('message-assistant').getByTestId('message-branch-index').textContent(),
    ).toBe('2/2');
    await context.close();
  });
});
