import 'server-only';
import type { ReplyDelta } from '@/shared/reply-stream';

function endsInsideSurrogatePair(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff;
}

/**
 * A delta never carries more than this (UTF-16 units ≈ bytes for most text): a provider that dumps a large
 * chunk at once is sent on at once instead of waiting out the window, and no broadcast nears Realtime's
 * payload limit (256 KB on hosted Supabase's smallest plan).
 */
export const MAX_DELTA_CHARS = 16 * 1024;

/**
 * Turns one reply's token stream into numbered deltas, adaptively: a token that arrives after a quiet
 * `coalesceMs` goes out at once (the first token always does: time to first token is what users feel); tokens
 * arriving sooner are gathered and sent when the window since the last delta ends; a buffer that reaches
 * MAX_DELTA_CHARS goes at once. So a stream costs at most ~1000/coalesceMs Realtime messages a second whatever
 * the provider's token rate (each one carrying more text the faster the provider is), and a slow provider's
 * tokens are not held at all. `seq` counts from 1 without gaps; `sentText` is exactly the concatenation of
 * deltas 1..seq, which is what checkpoints store.
 */
export class DeltaCoalescer {
  seq = 0;
  sentText = '';
  private pending = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastPublish: Promise<void> = Promise.resolve();
  private lastFlushAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly messageId: string,
    private readonly coalesceMs: number,
    private readonly publish: (delta: ReplyDelta) => Promise<void>,
  ) {}

  push(text: string): void {
    if (text.length === 0) return;
    this.pending += text;
    if (this.timer !== undefined && this.pending.length < MAX_DELTA_CHARS) return;
    const wait = this.lastFlushAt + this.coalesceMs - performance.now();
    if (wait <= 0 || this.pending.length >= MAX_DELTA_CHARS) this.flush(false);
    else this.timer = setTimeout(() => this.flush(false), wait);
  }

  /** Sends everything still buffered and resolves when Realtime has taken all of this reply's deltas. */
  async finish(): Promise<void> {
    this.flush(true);
    await this.lastPublish;
  }

  private flush(final: boolean): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    let text = this.pending;
    // Half of an emoji would reach Postgres as U+FFFD in a checkpoint; it waits for its other half.
    if (!final && endsInsideSurrogatePair(text)) text = text.slice(0, -1);
    if (text.length === 0) return;
    this.pending = this.pending.slice(text.length);
    this.lastFlushAt = performance.now();
    this.seq += 1;
    this.sentText += text;
    this.lastPublish = this.publish({ messageId: this.messageId, seq: this.seq, text });
  }
}
