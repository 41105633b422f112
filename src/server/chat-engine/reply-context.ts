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
  /** Where the question went: the history read is the question's only if it ends there. */
  parentId: string | null;
}

/** What the model is asked: the system prompt and the history, ending with the question. */
export type ModelInput = Pick<ReplyContext, 'instructions' | 'messages'>;

/** A send's context, read while its transaction runs. */
export interface PrefetchedSendContext {
  /** The model the session stored (null for a new chat): the model asked for unless the send names one. */
  storedModel: string | null;
  /** The message was sent before: this send is a retry that starts nothing. */
  sentBefore: boolean;
  /** The model input if the question goes under the leaf read here, as it nearly always does. */
  expected: ModelInput;
  /** The context with the facts of the commit; undefined when the question went elsewhere (read again). */
  complete(facts: SendContextFacts): ReplyContext | undefined;
}

/**
 * Starts reading a reply's context before chat.send's transaction commits, so the model can be asked before
 * the commit lands. Undefined when the read cannot be trusted (a reply of the session was still streaming
 * when it ran, so its text may be partial) — the runner then reads the context the ordinary way.
 */
export function prefetchSendContext(
  db: DB,
  userId: string,
  send: {
    sessionId: string | null;
    clientMessageId: string;
    /** The user's message the reply answers (not yet in the history read before it commits). */
    question: string;
  },
  budgetTokens: number,
): Promise<PrefetchedSendContext | undefined> {
  const { sessionId, clientMessageId, question } = send;
  return replyRepository.findSendContext(db, userId, sessionId, clientMessageId, HISTORY_ROWS - 1).then(
    ({ instructions, model, sent_before: sentBefore, leaf_id: leafId, history }) => {
      if (history.some((message) => message.status === 'streaming')) return undefined;
      const earlier = history.map(({ role, content }) => ({ role, content }));
      const expected: ModelInput = {
        instructions: instructions ?? BUILT_IN_SYSTEM_PROMPT,
        messages: fitHistoryToBudget([{ role: 'user', content: question }, ...earlier], budgetTokens),
      };
      return {
        storedModel: model,
        sentBefore,
        expected,
        complete: (facts) =>
          // The shown branch changed between this read and the send (a switch in another tab): read again.
          facts.parentId !== leafId
            ? undefined
            : {
                sessionId: facts.sessionId,
                userId: facts.userId,
                model: facts.model,
                // chat.stop needs the reply id, which the client has only once the runner is registered
                stopRequested: false,
                ...expected,
              },
      };
    },
    () => undefined,
  );
}
