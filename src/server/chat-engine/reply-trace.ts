import 'server-only';
import diagnosticsChannel from 'node:diagnostics_channel';

/**
 * Timestamps along the way from chat.send to the first delta, for the benchmark's breakdown of where the
 * time goes. Published on a diagnostics channel: free when nobody listens (production), and readable by a
 * bench preload in any process that hosts the engine, a Next server included, without touching its code.
 */
export const REPLY_TRACE_CHANNEL = 'chattwelve:reply-trace';

export type ReplyTracePhase =
  /** chat.send's procedure body began (the session was checked, the input parsed). */
  | 'send.start'
  /** chat.send's transaction committed. */
  | 'send.committed'
  /** The runner has what it needs to ask the model (system prompt, history). */
  | 'context.ready'
  /** The model was asked: by chat.send before its commit (under the client's message id), else by the runner. */
  | 'provider.called'
  /** The model's first text arrived in the runner. */
  | 'first.token'
  /** Realtime answered 202 to the first delta's broadcast. */
  | 'first.published';

export interface ReplyTraceEvent {
  phase: ReplyTracePhase;
  /** The client's message id for send.start, the reply id for the rest; send.committed carries both. */
  id: string;
  clientMessageId?: string;
  /** Milliseconds since the epoch, sub-millisecond precise: comparable across processes of one machine. */
  at: number;
}

const channel = diagnosticsChannel.channel(REPLY_TRACE_CHANNEL);

export function traceReply(phase: ReplyTracePhase, id: string, clientMessageId?: string): void {
  if (!channel.hasSubscribers) return;
  const event: ReplyTraceEvent = {
    phase,
    id,
    clientMessageId,
    at: performance.timeOrigin + performance.now(),
  };
  channel.publish(event);
}
