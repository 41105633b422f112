import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { scriptFakeReply } from '../../helpers/fake-llm-control';
import type { FakeReplyScript } from '../../helpers/fake-llm-provider';
import { artifactsDir } from './browser';

const controlUrl = inject('fakeLlmControlUrl');

/** A reply of `count` plain words (no markdown syntax, so the page shows exactly these characters). */
export function wordReply(count: number, tokenDelayMs = 30): { script: FakeReplyScript; text: string } {
  const tokens = Array.from({ length: count }, (_, index) => (index === 0 ? 'Word1' : ` word${index + 1}`));
  return { script: { tokens, tokenDelayMs }, text: tokens.join('') };
}

/** Scripts the fake provider for a message carrying a fresh cue, and returns that message's text. */
export async function scriptedQuestion(
  script: FakeReplyScript,
  question = 'Tell me something',
): Promise<string> {
  const cue = `cue-${randomUUID().slice(0, 8)}`;
  await scriptFakeReply(controlUrl, cue, script);
  return `${question} [${cue}]`;
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  const composer = page.getByTestId('composer');
  await composer.fill(text);
  await composer.press('Enter');
}

export function lastReplyText(page: Page) {
  return page.getByTestId('message-assistant').last().getByTestId('message-text');
}

/** Waits for the last reply to settle with `status` (complete, stopped, error, …). */
export async function waitForReplyStatus(page: Page, status: string): Promise<void> {
  try {
    await page.locator(`[data-testid="message-assistant"][data-status="${status}"]`).last().waitFor();
  } catch (error) {
    // Say what the page showed instead, and keep a picture of it.
    const shown = await page
      .getByTestId('message-assistant')
      .evaluateAll((replies) =>
        replies.map((reply) => `${reply.getAttribute('data-status')}: ${reply.textContent?.slice(0, 80)}`),
      );
    await mkdir(artifactsDir, { recursive: true });
    await page.screenshot({ path: path.join(artifactsDir, `failed-${status}-${Date.now()}.png`) });
    throw new Error(`no reply reached "${status}"; replies shown: ${JSON.stringify(shown)}`, {
      cause: error,
    });
  }
}

/**
 * Starts recording every text the last reply shows, from now on (a MutationObserver in the page), so a test
 * can tell a streamed reply from one that appeared at once.
 */
export async function recordReplyTexts(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __replyTexts: string[] }).__replyTexts = seen;
    const capture = () => {
      const replies = document.querySelectorAll(
        '[data-testid="message-assistant"] [data-testid="message-text"]',
      );
      const text = replies[replies.length - 1]?.textContent ?? '';
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    };
    new MutationObserver(capture).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
  return () => page.evaluate(() => (window as unknown as { __replyTexts: string[] }).__replyTexts);
}

/** A markdown reply (heading, list, table, code) cut into small tokens, for rendering checks. */
export const markdownSample = [
  '## Sorting in TypeScript',
  '',
  'Use **`Array.prototype.toSorted`** when you want a *new* array:',
  '',
  '- it leaves the original untouched',
  '- it takes the same comparator as `sort`',
  '',
  '| method | mutates |',
  '| --- | --- |',
  '| `sort` | yes |',
  '| `toSorted` | no |',
  '',
  '```ts',
  'const scores = [40, 7, 19];',
  '// ascending, as numbers',
  'const ranked = scores.toSorted((a, b) => a - b);',
  'console.log(ranked); // [7, 19, 40]',
  '```',
  '',
  'That is all.',
].join('\n');

export function markdownReply(tokenDelayMs = 5): FakeReplyScript {
  const tokens = markdownSample.match(/[\s\S]{1,6}/g) ?? [];
  return { tokens, tokenDelayMs };
}
