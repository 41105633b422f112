import 'server-only';
import { env } from '@/env';
import { startChatEngine } from '../chat-engine/chat-engine';
import type { EarlyModelStream } from '../chat-engine/early-stream';
import { modelCatalog } from '../chat-engine/model-catalog';
import { prefetchSendContext } from '../chat-engine/reply-context';
import { traceReply } from '../chat-engine/reply-trace';
import type { MessageStatus } from '../database-types';
import type { DB } from '../db';
import { ConflictError, NotFoundError, RateLimitedError } from '../domain-errors';
import { rateLimitService } from '../rate-limit/rate-limit.service';
import { chatRepository } from './chat.repository';
import type { EditAndResendInput, RegenerateInput, SendInput, SwitchBranchInput } from './chat.schema';

/** What the client needs at once to follow the reply on `chat:<sessionId>`. */
export interface StartedReply {
  sessionId: string;
  userMessageId: string;
  /** The assistant placeholder (status streaming, stream_seq 0) that deltas fill. */
  replyId: string;
  model: string;
  /** true when this clientMessageId was sent before: nothing new was created. */
  duplicate: boolean;
}

export interface BranchSwitch {
  sessionId: string;
  /** The last message of the path the chat now shows. */
  currentLeafId: string;
}

/** A reply's text and the last delta seq it includes (the reply assembler's row snapshot). */
export interface ReplyProgressResult {
  id: string;
  content: string;
  streamSeq: number;
  status: MessageStatus;
}

export interface StopResult {
  messageId: string;
  /** `stopping` while the runner settles the row; the final status if it had already ended. */
  status: 'stopping' | MessageStatus;
}

function isForeignKeyViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23503';
}

/** Thrown inside the send transaction when a concurrent retry took the clientMessageId first. */
class DuplicateSendError extends Error {}

const replyInProgress = () =>
  new ConflictError('A reply is still being written in this chat: stop it or wait for it');

function sendRateLimit() {
  return { bucket: 'chat.send', limit: env().CHAT_RATE_LIMIT_PER_MINUTE, windowSeconds: 60 };
}

/**
 * Switching versions writes the session row, which every tab and the sidebar hear about: generous for a
 * person paging through versions, a ceiling for a script hammering it.
 */
const SWITCH_RATE_LIMIT = { bucket: 'chat.switchBranch', limit: 120, windowSeconds: 60 };

async function lockedSession(db: DB, userId: string, sessionId: string) {
  const session = await chatRepository.lockSession(db, userId, sessionId);
  if (!session) throw new NotFoundError('Chat session');
  if (await chatRepository.hasStreamingReply(db, userId, sessionId)) throw replyInProgress();
  return session;
}

async function findDuplicate(
  db: DB,
  userId: string,
  clientMessageId: string,
): Promise<StartedReply | undefined> {
  const sent = await chatRepository.findSentMessage(db, userId, clientMessageId);
  if (!sent?.reply_id) return undefined;
  const reply = await chatRepository.findMessage(db, userId, sent.reply_id);
  return {
    sessionId: sent.session_id,
    userMessageId: sent.id,
    replyId: sent.reply_id,
    model: reply?.model ?? modelCatalog().defaultId,
    duplicate: true,
  };
}

export const chatService = Object.freeze({
  /**
   * One transaction of two statements: the rate limit, then session (created when absent), the user's message
   * (idempotent by clientMessageId), the streaming placeholder and last_message_at together. Its context is
   * read alongside, and once the rate limit passed the model is asked while the writes and the commit run:
   * its first token waits for the commit, not the other way round. The reply then streams in the background.
   */
  async send(db: DB, userId: string, input: SendInput): Promise<StartedReply> {
    traceReply('send.start', input.clientMessageId);
    const config = env();
    const engine = startChatEngine();
    const context = prefetchSendContext(
      db,
      userId,
      { sessionId: input.sessionId ?? null, clientMessageId: input.clientMessageId, question: input.content },
      config.CHAT_HISTORY_TOKEN_BUDGET,
    );
    let early: Promise<EarlyModelStream | undefined> | undefined;
    let started: StartedReply & { parentId: string | null };
    try {
      started = await db.transaction().execute(async (trx) => {
        // First: the counter row it locks orders this user's sends (see chatRepository.sendQuestion).
        await rateLimitService.consume(trx, userId, sendRateLimit());
        early = context
          .then((prefetched) => {
            // A retry (the offline outbox resending) is answered from the database: no model is asked.
            if (!prefetched || prefetched.sentBefore) return undefined;
            traceReply('provider.called', input.clientMessageId);
            // The model the commit will choose (sendQuestion's rule); the runner checks it did.
            const model = modelCatalog().usable(input.model, prefetched.storedModel);
            return engine.openEarlyStream(model, prefetched.expected);
          })
          // A model that cannot even be asked is the runner's to report, as without the early start.
          .catch(() => undefined);
        const catalog = modelCatalog();
        const written = await chatRepository.sendQuestion(trx, userId, {
          sessionId: input.sessionId ?? null,
          content: input.content,
          clientMessageId: input.clientMessageId,
          model: input.model ?? null,
          knownModels: catalog.options.map((option) => option.id),
          defaultModel: catalog.defaultId,
          leaseSeconds: config.CHAT_REPLY_LEASE_SECONDS,
        });
        if (!written) throw new NotFoundError('Chat session');
        if (written.busy) throw replyInProgress();
        if (!written.reply_id || !written.question_id) throw new DuplicateSendError();
        return {
          sessionId: written.session_id,
          userMessageId: written.question_id,
          replyId: written.reply_id,
          model: written.model,
          duplicate: false,
          parentId: written.parent_id,
        };
      });
    } catch (caught) {
      void early?.then((stream) => stream?.drop('the send was refused'));
      // The session was deleted between the read and the write (its foreign key refused the question).
      const error = isForeignKeyViolation(caught) ? new NotFoundError('Chat session') : caught;
      // A retry of a message sent before (an offline outbox resending) is answered with what that send
      // started, even while its reply still streams or the user is at the limit. Looked up only when the
      // transaction refused: the common send pays no extra round trip for it.
      if (
        !(
          error instanceof DuplicateSendError ||
          error instanceof ConflictError ||
          error instanceof RateLimitedError
        )
      )
        throw error;
      const duplicate = await findDuplicate(db, userId, input.clientMessageId);
      if (duplicate) return duplicate;
      if (error instanceof DuplicateSendError) throw new ConflictError('This message was already sent');
      throw error;
    }
    traceReply('send.committed', started.replyId, input.clientMessageId);
    const { parentId, ...reply } = started;
    engine.startReply(
      started.replyId,
      context.then((prefetched) =>
        prefetched?.complete({
          sessionId: started.sessionId,
          userId,
          model: started.model,
          parentId,
        }),
      ),
      early,
    );
    return reply;
  },

  /** Asks the reply's runner, on whichever instance, to stop; it keeps the text streamed so far. */
  /**
   * What a tab that reloaded mid-reply (or missed deltas) shows at once: the text subscribers were sent so far
   * when this process runs the reply — deltas after it follow on the topic — else the stored checkpoint.
   */
  async replyProgress(db: DB, userId: string, messageId: string): Promise<ReplyProgressResult> {
    const live = startChatEngine().progressOf(messageId);
    if (live?.userId === userId) {
      return { id: messageId, content: live.content, streamSeq: live.seq, status: 'streaming' };
    }
    const row = await chatRepository.findReplyText(db, userId, messageId);
    if (!row) throw new NotFoundError('Reply');
    return { id: row.id, content: row.content, streamSeq: row.stream_seq, status: row.status };
  },

  async stop(db: DB, userId: string, messageId: string): Promise<StopResult> {
    const flagged = await chatRepository.requestStop(db, userId, messageId);
    if (!flagged) {
      const row = await chatRepository.findStatus(db, userId, messageId);
      if (!row) throw new NotFoundError('Reply');
      return { messageId, status: row.status };
    }
    startChatEngine().stopLocal(messageId);
    // No runner holds it (its process died before the sweep ran): settle it here.
    if (flagged.orphaned && (await chatRepository.stopOrphanedReply(db, userId, messageId))) {
      return { messageId, status: 'stopped' };
    }
    if (flagged.orphaned) {
      // The orphan sweep settled it first.
      const row = await chatRepository.findStatus(db, userId, messageId);
      return { messageId, status: row?.status ?? 'stopped' };
    }
    return { messageId, status: 'stopping' };
  },

  /** A new reply to the same question, beside the old one (which is kept); the chat then shows the new one. */
  async regenerate(db: DB, userId: string, input: RegenerateInput): Promise<StartedReply> {
    const started = await db.transaction().execute(async (trx) => {
      const target = await chatRepository.findMessage(trx, userId, input.messageId);
      if (target?.role !== 'assistant') throw new NotFoundError('Reply');
      // Same lock order as send (rate limit row, then session row): no deadlock between them.
      await rateLimitService.consume(trx, userId, sendRateLimit());
      const session = await lockedSession(trx, userId, target.session_id);
      const question = target.parent_id
        ? await chatRepository.findMessage(trx, userId, target.parent_id)
        : undefined;
      if (question?.role !== 'user')
        throw new ConflictError('This reply answers no message of yours, so it cannot be regenerated');
      const model = modelCatalog().usable(input.model, target.model, session.model);
      const reply = await chatRepository.insertReplyPlaceholder(
        trx,
        userId,
        target.session_id,
        question.id,
        model,
        env().CHAT_REPLY_LEASE_SECONDS,
      );
      await chatRepository.touchSession(trx, userId, target.session_id, model, reply.id);
      return {
        sessionId: target.session_id,
        userMessageId: question.id,
        replyId: reply.id,
        model,
        duplicate: false,
      };
    });
    startChatEngine().startReply(started.replyId);
    return started;
  },

  /**
   * Asks an edited version of one of the user's questions: a new question beside the original (same parent),
   * with a reply under it. The original and everything after it stay, one branch switch away.
   */
  async editAndResend(db: DB, userId: string, input: EditAndResendInput): Promise<StartedReply> {
    const started = await db.transaction().execute(async (trx) => {
      const target = await chatRepository.findMessage(trx, userId, input.messageId);
      if (target?.role !== 'user') throw new NotFoundError('Message');
      await rateLimitService.consume(trx, userId, sendRateLimit());
      const session = await lockedSession(trx, userId, target.session_id);
      const model = modelCatalog().usable(input.model, session.model);
      const question = await chatRepository.insertSiblingQuestion(trx, userId, target, input.content);
      const reply = await chatRepository.insertReplyPlaceholder(
        trx,
        userId,
        target.session_id,
        question.id,
        model,
        env().CHAT_REPLY_LEASE_SECONDS,
      );
      await chatRepository.touchSession(trx, userId, target.session_id, model, reply.id);
      return {
        sessionId: target.session_id,
        userMessageId: question.id,
        replyId: reply.id,
        model,
        duplicate: false,
      };
    });
    startChatEngine().startReply(started.replyId);
    return started;
  },

  /**
   * Shows the branch through `messageId`: the session's path then ends at the newest message under it. A reply
   * streaming elsewhere in the tree keeps streaming. Rate-limited per user; a refused or failed switch
   * writes nothing (the counter is in the same transaction).
   */
  async switchBranch(db: DB, userId: string, input: SwitchBranchInput): Promise<BranchSwitch> {
    return db.transaction().execute(async (trx) => {
      await rateLimitService.consume(trx, userId, SWITCH_RATE_LIMIT);
      const leafId = await chatRepository.findNewestLeafUnder(trx, userId, input.sessionId, input.messageId);
      if (!leafId) throw new NotFoundError('Message');
      if (!(await chatRepository.setCurrentLeaf(trx, userId, input.sessionId, leafId)))
        throw new NotFoundError('Chat session');
      return { sessionId: input.sessionId, currentLeafId: leafId };
    });
  },
});
