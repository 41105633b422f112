/** Counts a connection's pushes in one-second windows. */
export class PushRateLimiter {
  private windowStart = 0;
  private count = 0;

  constructor(private readonly maxPerSecond: number) {}

  /** false when this push is over the limit for the current second. */
  allow(now = Date.now()): boolean {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count++;
    return this.count <= this.maxPerSecond;
  }
}
