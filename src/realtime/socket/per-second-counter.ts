/** Adds up amounts (frames, bytes, joins) in one-second windows. */
export class PerSecondCounter {
  private windowStart = 0;
  private total = 0;

  constructor(private readonly maxPerSecond: number) {}

  /** false when this amount takes the current second over the limit. */
  allow(amount = 1, now = Date.now()): boolean {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.total = 0;
    }
    this.total += amount;
    return this.total <= this.maxPerSecond;
  }
}
