import 'server-only';
import type { ReplyDelta } from './delta-publisher';

function endsInsideSurrogatePair(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff;
}

/**
 * Turns one reply's token stream into numbered deltas: the first token goes out at once (time to first token
 * is what users feel), and after that at most one delta leaves per `coalesceMs`, carrying whatever arrived
 * meanwhile — so one stream costs at most ~1000/coalesceMs Realtime messages a second whatever the provider's
 * token rate. `seq` counts from 1 without gaps; `sentText` is exactly the concatenation of deltas 1..seq,
 * which is what checkpoints store.
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
    if (this.timer !== undefined) return;
    // At most one delta per window, measured from the last one sent: a slow provider's tokens go out at once,
    // a fast provider's are gathered.
    const wait = this.lastFlushAt + this.coalesceMs - performance.now();
    if (wait <= 0) this.flush(false);
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
