interface QueuedWork {
  bytes: number;
  run: () => Promise<void> | void;
}

/**
 * A socket's frames in arrival order, handled one after another (a join awaits the database, and a push
 * that follows it must find the channel joined). Bounded in frames and bytes: `offer` refuses work beyond
 * either bound, and the caller closes the socket, so nothing piles up behind slow work.
 */
export class InboundQueue {
  private readonly items: QueuedWork[] = [];
  private queuedBytes = 0;
  private running = false;
  private stopped = false;

  constructor(
    private readonly maxFrames: number,
    private readonly maxBytes: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** false when taking this work would exceed a bound; the work is then not queued. */
  offer(bytes: number, run: QueuedWork['run']): boolean {
    if (this.stopped) return true;
    if (this.items.length >= this.maxFrames || this.queuedBytes + bytes > this.maxBytes) return false;
    this.items.push({ bytes, run });
    this.queuedBytes += bytes;
    if (!this.running) void this.drain();
    return true;
  }

  /** Drops everything still waiting; the work in progress finishes on its own. */
  stop(): void {
    this.stopped = true;
    this.items.length = 0;
    this.queuedBytes = 0;
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (!this.stopped) {
      const item = this.items.shift();
      if (!item) break;
      try {
        await item.run();
      } catch (error) {
        this.onError(error);
      } finally {
        if (!this.stopped) this.queuedBytes -= item.bytes;
      }
    }
    this.running = false;
  }
}
