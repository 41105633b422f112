import type { ReplyTraceEvent, ReplyTracePhase } from '../src/server/chat-engine/reply-trace';

/**
 * The reply-trace events a child process printed (bench/reply-trace-preload.mjs), by reply id and by client
 * message id, on this process's performance.now() clock.
 */
export class ReplyTraceLog {
  private readonly byId = new Map<string, Partial<Record<ReplyTracePhase, number>>>();
  private readonly replyOfClientMessage = new Map<string, string>();
  private partial = '';

  /** Feeds a chunk of the child's stdout; returns the lines that were not trace events. */
  feed(chunk: string): string[] {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    const other: string[] = [];
    for (const line of lines) {
      if (!line.startsWith('TRACE ')) {
        other.push(line);
        continue;
      }
      const event = JSON.parse(line.slice(6)) as ReplyTraceEvent;
      const phases = this.byId.get(event.id) ?? {};
      phases[event.phase] ??= event.at - performance.timeOrigin;
      this.byId.set(event.id, phases);
      if (event.clientMessageId) this.replyOfClientMessage.set(event.clientMessageId, event.id);
    }
    return other;
  }

  /** Every phase of one send: send.start is recorded under the client message id, the rest under the reply. */
  phasesOf(clientMessageId: string): Partial<Record<ReplyTracePhase, number>> {
    const replyId = this.replyOfClientMessage.get(clientMessageId);
    return { ...this.byId.get(clientMessageId), ...(replyId ? this.byId.get(replyId) : {}) };
  }
}
