import 'server-only';
import type { MessageStatus } from '../database-types';
import type { DB } from '../db';
import { coalescingTiming, DeltaCoalescer } from './delta-coalescer';
import type { DeltaPublisher } from './delta-publisher';
import type { EarlyModelStream } from './early-stream';
import type { ModelCatalog } from './model-catalog';
import { streamModelText } from './model-stream';
import { replyRepository } from './reply.repository';
import { loadReplyContext, type ReplyContext } from './reply-context';
import {
  describeReplyFailure,
  disconnectedFailure,
  ProviderStallError,
  type ReplyFailure,
} from './reply-failure';
import { traceReply } from './reply-trace';

export interface EngineSettings {
  coalesceMs: number;
  checkpointMs: number;
  leaseSeconds: number;
  stallMs: number;
  historyTokenBudget: number;
}

/** What the engine has written, for benchmarks and health pages. */
export interface EngineWriteCounts {
  checkpoints: number;
  finals: number;
}

export interface RunnerDependencies {
  db: DB;
  writes: EngineWriteCounts;
  publisher: DeltaPublisher;
  catalog: ModelCatalog;
  settings: EngineSettings;
  log: (message: string, error?: unknown) => void;
}

export interface ReplyOutcome {
  messageId: string;
  sessionId: string;
  userId: string;
  status: MessageStatus;
  content: string;
  seq: number;
  model: string;
  /** The user message this reply answers (for titles). */
  replyToId: string | null;
}

/** How long the final write waits for the last delta to be handed to Realtime. */
const FINAL_DELTA_WAIT_MS = 2000;

/** Abort reasons the runner gives itself, told apart when the stream ends. */
export const STOP_REQUESTED = 'stop requested';
const ROW_GONE = 'reply row gone';

/** A running reply as the engine sees it: abort it to stop. */
export interface ActiveReply {
  readonly messageId: string;
  stop(): void;
  /**
   * What subscribers have been sent so far (deltas 1..seq) and whose reply it is; undefined until the runner
   * has read its context. A tab that reloads mid-reply catches up from this instead of waiting for the next
   * checkpoint.
   */
  progress(): ReplyProgress | undefined;
}

export interface ReplyProgress {
  userId: string;
  content: string;
  seq: number;
}

/**
 * Streams one reply: model → coalesced deltas on `chat:<sessionId>` → checkpoints about once a second →
 * one final write. Stops on request, on a silent provider, or when its row disappears, and always finishes the
 * row with the text subscribers were sent (partial text is kept on stop and on every failure).
 */
export async function runReply(
  deps: RunnerDependencies,
  messageId: string,
  register: (reply: ActiveReply) => () => void,
  /** The context as chat.send read it alongside its commit; undefined: read it here. */
  prepared?: Promise<ReplyContext | undefined>,
  /** The model stream chat.send opened before its commit, from that same context; used if it still fits. */
  early?: Promise<EarlyModelStream | undefined>,
): Promise<ReplyOutcome | undefined> {
  const { db, settings } = deps;
  const controller = new AbortController();
  let progress: (() => ReplyProgress) | undefined;
  const unregister = register({
    messageId,
    stop: () => controller.abort(STOP_REQUESTED),
    progress: () => progress?.(),
  });
  try {
    const preparedContext = await prepared;
    const context = preparedContext ?? (await loadReplyContext(db, messageId, settings.historyTokenBudget));
    if (!context) return undefined;
    traceReply('context.ready', messageId);
    // Registered before the read above, so a stop is either seen here or reaches stop() by NOTIFY.
    if (context.stopRequested) controller.abort(STOP_REQUESTED);
    const modelId = deps.catalog.usable(context.model);
    // Asked from the prepared context: it fits unless the commit chose another model.
    const opened = await early;
    const adopted = preparedContext && opened?.modelId === modelId ? opened : undefined;
    if (opened !== adopted) opened?.drop('the committed send needs another model or context');
    const deltas = new DeltaCoalescer(messageId, coalescingTiming(settings.coalesceMs), (delta) => {
      const published = deps.publisher.publish(context.sessionId, delta);
      if (delta.seq === 1) void published.then(() => traceReply('first.published', messageId));
      return published;
    });
    progress = () => ({ userId: context.userId, content: deltas.sentText, seq: deltas.seq });

    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    const armStallTimer = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(
        () => controller.abort(new ProviderStallError(settings.stallMs)),
        settings.stallMs,
      );
    };

    // Checkpoints: the text sent so far and its seq, plus the lease; a stop flag set elsewhere is seen here.
    let checkpointedSeq = 0;
    let lastWriteAt = Date.now();
    let checkpointing: Promise<void> = Promise.resolve();
    let busy = false;
    const checkpointTimer = setInterval(() => {
      if (busy) return;
      const progressed = deltas.seq > checkpointedSeq;
      const leaseDue = Date.now() - lastWriteAt > (settings.leaseSeconds * 1000) / 3;
      if (!progressed && !leaseDue) return;
      busy = true;
      deps.writes.checkpoints += 1;
      const progress = progressed ? { content: deltas.sentText, seq: deltas.seq } : null;
      checkpointing = replyRepository
        .checkpoint(db, messageId, progress, settings.leaseSeconds)
        .then((result) => {
          lastWriteAt = Date.now();
          if (progress) checkpointedSeq = progress.seq;
          if (!result) controller.abort(ROW_GONE);
          else if (result.stopRequested) controller.abort(STOP_REQUESTED);
        })
        .catch((error) => deps.log(`checkpoint of reply ${messageId} failed`, error))
        .finally(() => {
          busy = false;
        });
    }, settings.checkpointMs);

    let failure: ReplyFailure | undefined;
    let finishReason: string | undefined;
    let usage: { inputTokens: number | null; outputTokens: number | null } | undefined;
    try {
      armStallTimer();
      const parts = adopted
        ? adopted.adopt(controller.signal)
        : streamModelText(deps.catalog.languageModel(modelId), {
            instructions: context.instructions,
            messages: context.messages,
            abortSignal: controller.signal,
          });
      if (!adopted) traceReply('provider.called', messageId);
      for await (const part of parts) {
        armStallTimer();
        if (part.type === 'text') {
          if (deltas.seq === 0) traceReply('first.token', messageId);
          deltas.push(part.text);
        } else if (part.type === 'error') failure ??= describeReplyFailure(part.error);
        else {
          finishReason = part.finishReason;
          usage = part.usage;
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) failure ??= describeReplyFailure(error);
    } finally {
      clearTimeout(stallTimer);
      clearInterval(checkpointTimer);
    }
    // Read now: a stop that lands after the provider finished does not turn a complete reply into a stopped one.
    const reason = controller.signal.aborted ? controller.signal.reason : undefined;

    // The last delta normally reaches subscribers before the final row; a Realtime outage must not hold the
    // row back (subscribers settle on the row either way).
    let finalWait: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      deltas.finish(),
      new Promise((resolve) => {
        finalWait = setTimeout(resolve, FINAL_DELTA_WAIT_MS);
      }),
    ]);
    clearTimeout(finalWait);
    await checkpointing;
    if (reason === ROW_GONE) return undefined;
    if (reason instanceof ProviderStallError) failure = describeReplyFailure(reason);
    else if (reason === STOP_REQUESTED) failure = undefined;
    // A stream that ended without saying how (no finish part), or said it was cut, lost its connection.
    else if (
      !failure &&
      (finishReason === undefined || finishReason === 'interrupted' || finishReason === 'error')
    )
      failure = disconnectedFailure;
    const status: MessageStatus = reason === STOP_REQUESTED ? 'stopped' : failure ? 'error' : 'complete';

    deps.writes.finals += 1;
    const finished = await replyRepository.finish(db, messageId, {
      content: deltas.sentText,
      seq: deltas.seq,
      status,
      model: modelId,
      metadata: {
        ...(finishReason ? { finishReason } : {}),
        ...(usage ? { usage } : {}),
        ...(failure ? { error: failure } : {}),
      },
    });
    if (!finished) return undefined;
    return {
      messageId,
      sessionId: finished.session_id,
      userId: finished.user_id,
      status,
      content: deltas.sentText,
      seq: deltas.seq,
      model: modelId,
      replyToId: finished.reply_to_id,
    };
  } finally {
    unregister();
    // Not taken over (no context, or the runner failed before): the provider request ends here.
    void early?.then((stream) => stream?.drop('the reply did not start'));
  }
}
