import 'server-only';
import { generateText, type LanguageModel } from 'ai';
import type { DB } from '../db';
import { replyRepository } from './reply.repository';

/** chat_sessions.title's default (0002_chat_schema.sql): a session still called this has no title yet. */
export const UNTITLED_SESSION = 'New chat';

const TITLE_TIMEOUT_MS = 10_000;
const MAX_TITLE_LENGTH = 80;

/** The first words of the question: the title when no model can (or should) write one. */
export function firstWordsTitle(question: string, maxWords = 6, maxLength = 60): string {
  const words = question.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  let title = words.slice(0, maxWords).join(' ');
  if (title.length > maxLength) title = title.slice(0, maxLength).trimEnd();
  const cut = words.length > maxWords || title.length < words.join(' ').length;
  return title.length === 0 ? UNTITLED_SESSION : cut ? `${title}…` : title;
}

/** One line, no wrapping quotes or trailing period, within the column's limit. */
function cleanTitle(text: string): string {
  const line = text.split('\n').find((candidate) => candidate.trim().length > 0) ?? '';
  return line
    .replace(/^\s*(title:\s*)?/i, '')
    .replace(/^["'“”‘’*#\s]+|["'“”‘’*\s.]+$/g, '')
    .slice(0, MAX_TITLE_LENGTH)
    .trim();
}

async function modelTitle(model: LanguageModel, question: string): Promise<string> {
  const { text } = await generateText({
    model,
    instructions:
      'Write a title of at most six words for a chat that starts with the user message below. ' +
      'Answer with the title only, no quotes.',
    prompt: question.slice(0, 2000),
    maxOutputTokens: 24,
    maxRetries: 0,
    abortSignal: AbortSignal.timeout(TITLE_TIMEOUT_MS),
  });
  return cleanTitle(text);
}

/**
 * After a session's first exchange, names it: a model-written title, or the question's first words when the
 * model fails or is the offline demo. Never overwrites a title the user set meanwhile. Sidebars learn of it
 * through postgres_changes on chat_sessions.
 */
export async function titleSessionAfterFirstReply(
  db: DB,
  reply: { userId: string; sessionId: string; question: string; model: LanguageModel | null },
): Promise<string | undefined> {
  const state = await replyRepository.findTitleState(db, reply.userId, reply.sessionId);
  if (state?.title !== UNTITLED_SESSION || Number(state.replies) !== 1) return undefined;
  let title = '';
  if (reply.model) title = await modelTitle(reply.model, reply.question).catch(() => '');
  if (title.length === 0) title = firstWordsTitle(reply.question);
  const result = await replyRepository.setGeneratedTitle(
    db,
    reply.userId,
    reply.sessionId,
    title,
    UNTITLED_SESSION,
  );
  return result.numUpdatedRows > 0n ? title : undefined;
}
