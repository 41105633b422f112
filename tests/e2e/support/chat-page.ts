import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { scriptFakeReply } from '../../helpers/fake-llm-control';
import type { FakeReplyScript } from '../../helpers/fake-llm-provider';

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
  await page.locator(`[data-testid="message-assistant"][data-status="${status}"]`).last().waitFor();
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
