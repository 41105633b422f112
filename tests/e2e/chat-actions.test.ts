import { expect, inject, it } from 'vitest';
import { adminDb } from '../helpers/database';
import { scriptFakeReply } from '../helpers/fake-llm-control';
import { describeInBrowser, newContext, signUpInBrowser, useBrowser } from './support/browser';
import {
  lastReplyText,
  scriptedQuestion,
  sendMessage,
  waitForReplyStatus,
  wordReply,
} from './support/chat-page';

const controlUrl = inject('fakeLlmControlUrl');

/** The cue a scripted question carries, to script it again. */
function cueOf(question: string): string {
  return /\[(cue-[^\]]+)\]/.exec(question)?.[1] ?? '';
}

describeInBrowser('acting on messages', () => {
  const browser = useBrowser();

  it('regenerates a reply as a new version, the old one a click away', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    const question = await scriptedQuestion(wordReply(4, 5).script, 'Give me a word');
    await sendMessage(page, question);
    await waitForReplyStatus(page, 'complete');
    const firstReply = await lastReplyText(page).textContent();

    await scriptFakeReply(controlUrl, cueOf(question), { tokens: ['A', ' different', ' answer'] });
    await page.getByTestId('regenerate').click();
    await expect
      .poll(() => lastReplyText(page).textContent(), { timeout: 20_000 })
      .toBe('A different answer');
    await waitForReplyStatus(page, 'complete');
    await expect.poll(() => page.getByTestId('message-assistant').count()).toBe(1);
    await expect.poll(() => page.getByTestId('message-branch-index').textContent()).toBe('2/2');
    await page.reload();
    await page.locator('main[data-hydrated="true"]').waitFor();
    await waitForReplyStatus(page, 'complete');
    expect(await lastReplyText(page).textContent()).toBe('A different answer');
    await expect.poll(() => page.getByTestId('message-assistant').count()).toBe(1);

    await page.getByTestId('message-branch-prev').click();
    await expect.poll(() => lastReplyText(page).textContent(), { timeout: 20_000 }).toBe(firstReply);
    expect(await page.getByTestId('message-branch-index').textContent()).toBe('1/2');
    await context.close();
  });

  it('edits a message and resends it as a new version, keeping the original', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    const original = await scriptedQuestion(wordReply(4, 5).script, 'First wording');
    await sendMessage(page, original);
    await waitForReplyStatus(page, 'complete');

    const edited = await scriptedQuestion({ tokens: ['Answer', ' to', ' the', ' edit'] }, 'Better wording');
    await page.getByTestId('message-user').hover();
    await page.getByTestId('edit-message').click();
    await page.getByTestId('edit-input').fill(edited);
    await page.getByTestId('edit-input').press('Enter');
    await expect
      .poll(() => lastReplyText(page).textContent(), { timeout: 20_000 })
      .toBe('Answer to the edit');
    await waitForReplyStatus(page, 'complete');
    expect(await page.getByTestId('message-user').allTextContents()).toEqual([
      expect.stringContaining(edited),
    ]);
    await expect.poll(() => page.getByTestId('message-assistant').count()).toBe(1);
    expect(await page.getByTestId('message-branch-index').textContent()).toBe('2/2');

    await page.getByTestId('message-branch-prev').click();
    await expect
      .poll(() => page.getByTestId('message-user').allTextContents(), { timeout: 20_000 })
      .toEqual([expect.stringContaining(original)]);
    await expect.poll(() => lastReplyText(page).textContent()).toBe(wordReply(4).text);
    await context.close();
  });

  it('shows a provider failure with its reason, and retry answers', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    const question = await scriptedQuestion(
      { tokens: [], fault: { kind: 'status', status: 500, message: 'upstream exploded' } },
      'This will fail',
    );
    await sendMessage(page, question);
    await waitForReplyStatus(page, 'error');
    await page.getByTestId('reply-error').waitFor();
    expect(await page.getByTestId('reply-error').textContent()).toMatch(/500|failed/i);

    await scriptFakeReply(controlUrl, cueOf(question), { tokens: ['Recovered', ' fine'] });
    await page.getByTestId('retry').click();
    await expect.poll(() => lastReplyText(page).textContent(), { timeout: 20_000 }).toBe('Recovered fine');
    await waitForReplyStatus(page, 'complete');
    await context.close();
  });

  it('sends with the model picked in the picker', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    await page.locator('main[data-hydrated="true"]').waitFor();
    await page.getByTestId('model-picker').click();
    await page.getByRole('option', { name: 'fake-model-large' }).click();
    await sendMessage(page, await scriptedQuestion(wordReply(3, 5).script, 'Which model?'));
    await waitForReplyStatus(page, 'complete');
    await page.getByTestId('message-assistant').getByText('openai-compatible/fake-model-large').waitFor();
    // The choice is remembered in this browser.
    await page.reload();
    // The page is rendered with the deployment's default; the browser's saved pick applies once it is live.
    await expect
      .poll(() => page.getByTestId('model-picker').getAttribute('data-value'), { timeout: 20_000 })
      .toBe('openai-compatible/fake-model-large');
    await context.close();
  });

  it('has keyboard shortcuts for a new chat, the message box and the sidebar', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    await sendMessage(page, await scriptedQuestion(wordReply(3, 5).script, 'Shortcut test'));
    await waitForReplyStatus(page, 'complete');
    await page.waitForURL(/\/c\//);

    await page.getByTestId('sidebar-search').focus();
    await page.keyboard.press('Shift+Escape');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('composer');

    await page.keyboard.press('Control+Shift+S');
    await page.getByTestId('sidebar').waitFor({ state: 'hidden' });
    await page.keyboard.press('Control+Shift+S');
    await page.getByTestId('sidebar').waitFor({ state: 'visible' });

    await page.keyboard.press('Control+Shift+O');
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByText('What can I help with?').waitFor();
    await context.close();
  });

  it('shows a reply the server marked interrupted (a crash mid-reply), with its text and a retry', async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signUpInBrowser(page);
    const question = await scriptedQuestion(wordReply(6, 5).script, 'Crash course');
    await sendMessage(page, question);
    await waitForReplyStatus(page, 'complete');
    const sessionId = new URL(page.url()).pathname.split('/')[2] ?? '';

    // What the engine's start-up recovery writes for a reply orphaned by a crash.
    const db = adminDb();
    await db
      .updateTable('chat_messages')
      .set({
        content: 'Word1 word2',
        status: 'interrupted',
        metadata: JSON.stringify({
          error: { code: 'interrupted', reason: 'The server restarted.' },
        }) as never,
      })
      .where('session_id', '=', sessionId)
      .where('role', '=', 'assistant')
      .execute();
    await db.destroy();

    await page.reload();
    await waitForReplyStatus(page, 'interrupted');
    await page.getByTestId('reply-interrupted').waitFor();
    expect(await lastReplyText(page).textContent()).toBe('Word1 word2');
    await page.getByTestId('retry').click();
    await waitForReplyStatus(page, 'complete');
    await expect.poll(() => page.getByTestId('message-assistant').count()).toBe(1);
    await context.close();
  });
});
