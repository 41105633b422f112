import 'server-only';
import type { ReplyDelta } from '@/shared/reply-stream';

function endsInsideSurrogatePair(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff;
}

/**
 * A delta never carries more than this (UTF-16 units ≈ bytes for most text): a provider that dumps a large
 * chunk at once is sent on at once, and no broadcast nears Realtime's payload limit (256 KB on hosted
 * Supabase's smallest plan).
 */
export const MAX_DELTA_CHARS = 16 * 1024;

export interface CoalescingTiming {
  /** Never two deltas closer than this: at most 1000/minGapMs Realtime messages a second per stream. */
  minGapMs: number;
  /** Text never waits longer than this after the previous delta (a quiet stream's token goes at once). */
  maxHoldMs: number;
  /**
   * Buffered text worth a message of its own: once this much waits, it leaves as soon as minGapMs allows.
   * Below it the text waits up to maxHoldMs, so a slow stream sends fewer, fuller messages (each costs about
   * 100 bytes of framing and one message of the project's quota whatever it carries).
   */
  targetChars: number;
}

/** ≤ 10 messages a second, ≥ 5 while text flows, ~160 characters a message when the provider is fast. */
export function coalescingTiming(minGapMs: number): CoalescingTiming {
  return { minGapMs, maxHoldMs: 2 * minGapMs, targetChars: 160 };
}

/**
 * Turns one reply's token stream into numbered deltas, adaptively, on time and on buffered size: the first
 * token goes out at once (time to first token is what users feel), and so does any token after a quiet
 * maxHoldMs; after that, buffered text leaves when it reaches targetChars (but not sooner than minGapMs after
 * the previous delta) or when it has waited maxHoldMs, whichever comes first; MAX_DELTA_CHARS leaves at once.
 * `seq` counts from 1 without gaps; `sentText` is exactly the concatenation of deltas 1..seq, which is what
 * checkpoints store.
 */
export class DeltaCoalescer {
  seq = 0;
  sentText = '';
  private pending = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerDueAt = Number.POSITIVE_INFINITY;
  private lastPublish: Promise<void> = Promise.resolve();
  private lastFlushAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly messageId: string,
    private readonly timing: CoalescingTiming,
    private readonly publish: (delta: ReplyDelta) => Promise<void>,
  ) {}

  push(text: string): void {
    if (text.length === 0) return;
    this.pending += text;
    const { minGapMs, maxHoldMs, targetChars } = this.timing;
    const dueAt =
      this.pending.length >= MAX_DELTA_CHARS
        ? Number.NEGATIVE_INFINITY
        : this.lastFlushAt + (this.pending.length >= targetChars ? minGapMs : maxHoldMs);
    if (dueAt <= performance.now()) {
      this.flush(false);
      return;
    }
    if (dueAt >= this.timerDueAt) return;
    clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => this.flush(false), dueAt - performance.now());
  }

  /** Sends everything still buffered and resolves when Realtime has taken all of this reply's deltas. */
  async finish(): Promise<void> {
    this.flush(true);
    await this.lastPublish;
  }

  private flush(final: boolean): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueAt = Number.POSITIVE_INFINITY;
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
