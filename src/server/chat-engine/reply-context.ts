import 'server-only';
import type { DB } from '../db';
import { type HistoryMessage, replyRepository } from './reply.repository';

/** Used when neither the session, the user nor the deployment chose a system prompt. */
export const BUILT_IN_SYSTEM_PROMPT =
  'You are ChatTwelve, a helpful assistant. Answer clearly and concisely; use Markdown where it helps.';

/** The most messages ever read back for one reply, whatever the budget. */
const HISTORY_ROWS = 200;

/** A rough token count (≈ 4 characters a token, plus framing); good enough to stay under a context window. */
export function estimateTokens(message: HistoryMessage): number {
  return Math.ceil(message.content.length / 4) + 4;
}

/**
 * Keeps the newest messages that fit in `budgetTokens`, in chronological order. The newest message (the
 * question being answered) is always kept, even alone over budget: without it there is nothing to answer.
 */
export function fitHistoryToBudget(newestFirst: HistoryMessage[], budgetTokens: number): HistoryMessage[] {
  const kept: HistoryMessage[] = [];
  let used = 0;
  for (const message of newestFirst) {
    const cost = estimateTokens(message);
    if (kept.length > 0 && used + cost > budgetTokens) break;
    kept.push(message);
    used += cost;
  }
  return kept.reverse();
}

export interface ReplyContext {
  sessionId: string;
  userId: string;
  model: string | null;
  /** chat.stop came before the runner was listening for it. */
  stopRequested: boolean;
  instructions: string;
  messages: HistoryMessage[];
}

/** What the model is given for a reply: system prompt and history within budget. Undefined if not streaming. */
export async function loadReplyContext(
  db: DB,
  messageId: string,
  budgetTokens: number,
): Promise<ReplyContext | undefined> {
  const reply = await replyRepository.findStreamingReply(db, messageId);
  if (!reply) return undefined;
  const [instructions, history] = await Promise.all([
    replyRepository.findSystemPrompt(db, reply.user_id, reply.system_prompt_id),
    replyRepository.listHistoryBefore(db, reply.user_id, reply.session_id, reply.id, HISTORY_ROWS),
  ]);
  return {
    sessionId: reply.session_id,
    userId: reply.user_id,
    model: reply.model,
    stopRequested: reply.stop_requested_at !== null,
    instructions: instructions ?? BUILT_IN_SYSTEM_PROMPT,
    messages: fitHistoryToBudget(history, budgetTokens),
  };
}
