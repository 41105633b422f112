import 'server-only';
import { env } from '@/env';
import { type DB, db } from '../db';
import { loggableError, logger } from '../observability/logger';
import { DeltaPublisher } from './delta-publisher';
import { EarlyModelStream } from './early-stream';
import { DEMO_MODEL_ID, type ModelCatalog, modelCatalog } from './model-catalog';
import { replyRepository } from './reply.repository';
import type { ModelInput, ReplyContext } from './reply-context';
import {
  type ActiveReply,
  type EngineSettings,
  type EngineWriteCounts,
  type ReplyOutcome,
  type ReplyProgress,
  runReply,
} from './reply-runner';
import { titleSessionAfterFirstReply } from './session-title';
import { StopSignalListener } from './stop-signal';

export interface ChatEngineOptions {
  db: DB;
  databaseUrl: string;
  supabaseUrl: string;
  serviceRoleKey: string;
  catalog: ModelCatalog;
  settings: EngineSettings;
  log?: (message: string, error?: unknown) => void;
}

function defaultLog(message: string, error?: unknown): void {
  logger().error({ component: 'chat-engine', ...(error ? { err: loggableError(error) } : {}) }, message);
}

/**
 * Generation outside the request: chat.send commits the placeholder, then hands its id here. Runs in
 * whatever process hosts it (the Next server, a worker, a test); at start it marks replies orphaned by a crash
 * `interrupted`, and keeps doing so periodically, leaving alone replies whose runner (anywhere) holds a lease.
 */
export class ChatEngine {
  private readonly active = new Map<string, ActiveReply>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly publisher: DeltaPublisher;
  private readonly stopListener: StopSignalListener;
  private sweepTimer: ReturnType<typeof setInterval> | undefined;
  private started: Promise<void> | undefined;
  private readonly log: (message: string, error?: unknown) => void;
  /** Checkpoint and final writes made by this engine's runners. */
  readonly writes: EngineWriteCounts = { checkpoints: 0, finals: 0 };

  constructor(private readonly options: ChatEngineOptions) {
    this.log = options.log ?? defaultLog;
    this.publisher = new DeltaPublisher({
      supabaseUrl: options.supabaseUrl,
      serviceRoleKey: options.serviceRoleKey,
      onError: (error) => this.log('realtime broadcast failed; subscribers will read the checkpoint', error),
    });
    this.stopListener = new StopSignalListener(
      options.databaseUrl,
      (messageId) => this.stopLocal(messageId),
      (error) => this.log('stop listener connection failed; reconnecting', error),
    );
  }

  get publisherStats() {
    return this.publisher.stats;
  }

  /** Recovery sweep, stop listener, periodic sweep. Idempotent. */
  start(): Promise<void> {
    this.started ??= (async () => {
      await this.sweepOrphans();
      await this.stopListener.start();
      this.sweepTimer = setInterval(
        () => void this.sweepOrphans(),
        this.options.settings.leaseSeconds * 1000,
      );
      this.sweepTimer.unref();
    })();
    return this.started;
  }

  /** Marks replies no live runner holds as interrupted; returns their ids. */
  async sweepOrphans(): Promise<string[]> {
    try {
      const rows = await replyRepository.markOrphanedRepliesInterrupted(this.options.db);
      return rows.map((row) => row.id);
    } catch (error) {
      this.log('orphan sweep failed', error);
      return [];
    }
  }

  /**
   * Starts streaming the placeholder `messageId` in the background of this process; `prepared` is its context
   * when the caller already read it (chat.send does, alongside its commit), `early` the model stream it opened
   * from that context before committing.
   */
  startReply(
    messageId: string,
    prepared?: Promise<ReplyContext | undefined>,
    early?: Promise<EarlyModelStream | undefined>,
  ): void {
    const run = runReply(
      { ...this.options, publisher: this.publisher, log: this.log, writes: this.writes },
      messageId,
      (reply) => {
        this.active.set(reply.messageId, reply);
        return () => this.active.delete(reply.messageId);
      },
      prepared,
      early,
    )
      .then((outcome) => (outcome ? this.afterReply(outcome) : undefined))
      .catch(async (error) => {
        this.log(`reply ${messageId} failed`, error);
        // Not left streaming until its lease runs out: the user sees at once that it ended.
        await replyRepository
          .markFailed(this.options.db, messageId, {
            code: 'engine_error',
            reason: 'The server failed while writing this reply; it is kept up to the last saved point.',
          })
          .catch((markError) => this.log(`could not mark reply ${messageId} failed`, markError));
      });
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /**
   * Asks `modelId` (one the catalog offers) before the reply's row is committed; startReply takes the stream
   * over, or it is dropped. See EarlyModelStream.
   */
  openEarlyStream(modelId: string, input: ModelInput): EarlyModelStream {
    return new EarlyModelStream(modelId, this.options.catalog.languageModel(modelId), input);
  }

  /** Stops a reply if this process runs it. */
  stopLocal(messageId: string): boolean {
    const reply = this.active.get(messageId);
    reply?.stop();
    return reply !== undefined;
  }

  /** How far a reply this process runs has streamed; undefined if it runs elsewhere or not at all. */
  progressOf(messageId: string): ReplyProgress | undefined {
    return this.active.get(messageId)?.progress();
  }

  /** Resolves when every reply started so far (and its title job) has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async shutdown(): Promise<void> {
    for (const reply of this.active.values()) reply.stop();
    await this.idle();
    clearInterval(this.sweepTimer);
    await this.stopListener.close();
    this.publisher.close();
  }

  private async afterReply(outcome: ReplyOutcome): Promise<void> {
    // What happened, never what was written (the logger drops `content` fields too).
    logger().info(
      {
        component: 'chat-engine',
        messageId: outcome.messageId,
        sessionId: outcome.sessionId,
        userId: outcome.userId,
        model: outcome.model,
        status: outcome.status,
        deltas: outcome.seq,
        chars: outcome.content.length,
      },
      'reply finished',
    );
    if (outcome.status !== 'complete' || !outcome.replyToId) return;
    const question = await replyRepository.findMessageContent(
      this.options.db,
      outcome.userId,
      outcome.replyToId,
    );
    if (question === undefined) return;
    const { catalog } = this.options;
    const model =
      outcome.model === DEMO_MODEL_ID || !catalog.has(outcome.model)
        ? null
        : catalog.languageModel(outcome.model);
    await titleSessionAfterFirstReply(this.options.db, {
      userId: outcome.userId,
      sessionId: outcome.sessionId,
      question,
      model,
    });
  }
}

/** 1000 / 10: the most Realtime messages a second one stream may cost. */
export const MIN_DELTA_INTERVAL_MS = 100;

export function engineSettingsFromEnv(): EngineSettings {
  const config = env();
  return {
    // ≤ 10 Realtime messages a second per stream whatever is configured: a hosted project's message quota
    // is counted per message, and the client smooths the reveal between deltas.
    coalesceMs: Math.max(config.CHAT_DELTA_COALESCE_MS, MIN_DELTA_INTERVAL_MS),
    checkpointMs: config.CHAT_CHECKPOINT_INTERVAL_MS,
    leaseSeconds: config.CHAT_REPLY_LEASE_SECONDS,
    stallMs: config.CHAT_PROVIDER_STALL_MS,
    historyTokenBudget: config.CHAT_HISTORY_TOKEN_BUDGET,
  };
}

const globalForEngine = globalThis as unknown as { chattwelveChatEngine?: ChatEngine };

/**
 * This process's engine (kept across Next dev reloads), started if it is not yet: at server start by
 * src/instrumentation.ts, and on first use by any caller as a fallback (tests, workers, benchmarks).
 */
export function startChatEngine(): ChatEngine {
  if (!globalForEngine.chattwelveChatEngine) {
    const config = env();
    const engine = new ChatEngine({
      db: db(),
      databaseUrl: config.DATABASE_URL,
      supabaseUrl: config.NEXT_PUBLIC_SUPABASE_URL,
      serviceRoleKey: config.SUPABASE_SERVICE_ROLE_KEY,
      catalog: modelCatalog(),
      settings: engineSettingsFromEnv(),
    });
    globalForEngine.chattwelveChatEngine = engine;
    engine.start().catch((error) => defaultLog('start-up failed', error));
  }
  return globalForEngine.chattwelveChatEngine;
}
