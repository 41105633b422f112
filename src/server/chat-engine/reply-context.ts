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

/** What chat.send knows about the reply it starts, so the runner need not read it back. */
export interface SendContextFacts {
  sessionId: string;
  userId: string;
  model: string;
  /** The user's message the reply answers (not yet in the history read before it committed). */
  question: string;
  /** Where the question went: the history read is the question's only if it ends there. */
  parentId: string | null;
}

/**
 * Starts reading a reply's context before chat.send's transaction commits, so the model is asked as soon as
 * the commit lands instead of one more round trip later. Resolves to a builder that completes it with the
 * facts of the commit; undefined when the read cannot be trusted (a reply of the session was still streaming
 * when it ran, so its text may be partial) — the runner then reads the context the ordinary way.
 */
export function prefetchSendContext(
  db: DB,
  userId: string,
  sessionId: string | null,
  budgetTokens: number,
): Promise<((facts: SendContextFacts) => ReplyContext | undefined) | undefined> {
  return replyRepository.findSendContext(db, userId, sessionId, HISTORY_ROWS - 1).then(
    ({ instructions, leaf_id: leafId, history }) => {
      if (history.some((message) => message.status === 'streaming')) return undefined;
      const earlier = history.map(({ role, content }) => ({ role, content }));
      return (facts) =>
        // The shown branch changed between this read and the send (a switch in another tab): read again.
        facts.parentId !== leafId
          ? undefined
          : {
              sessionId: facts.sessionId,
              userId: facts.userId,
              model: facts.model,
              // chat.stop needs the reply id, which the client has only once the runner is registered
              stopRequested: false,
              instructions: instructions ?? BUILT_IN_SYSTEM_PROMPT,
              messages: fitHistoryToBudget(
                [{ role: 'user', content: facts.question }, ...earlier],
                budgetTokens,
              ),
            };
    },
    () => undefined,
  );
}
