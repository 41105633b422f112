/** The most a character may trail its arrival on screen. */
export const MAX_REVEAL_LAG_MS = 150;
/** A backlog drains at this time constant: fewer, larger deltas still read as a steady stream. */
const PACE_MS = 90;
/** Room left for a frame that runs late, so the lag bound holds between two frames. */
const FRAME_MARGIN_MS = 24;

interface Arrival {
  /** The text's length once this delta was in. */
  end: number;
  at: number;
}

/**
 * Paces the reveal of a streaming reply between its deltas: each frame shows a share of what is not shown
 * yet, and anything that arrived more than MAX_REVEAL_LAG_MS (less a frame) ago is shown at once. Pure: the
 * caller passes the clock, so the pacing is tested without timers.
 */
export class TextReveal {
  private target: string;
  private shown: number;
  private arrivals: Arrival[] = [];
  private lastFrame: number | undefined;

  /** Text already there when the reply is first shown (a reload mid-reply) is not replayed. */
  constructor(initial: string) {
    this.target = initial;
    this.shown = initial.length;
  }

  /** The reply's text now; a text that does not extend the last one (a refetch, a regeneration) restarts. */
  update(text: string, now: number): void {
    if (text === this.target) return;
    if (!text.startsWith(this.target)) {
      let common = 0;
      const limit = Math.min(text.length, this.target.length);
      while (common < limit && text[common] === this.target[common]) common += 1;
      this.shown = Math.min(this.shown, common);
      this.arrivals = this.arrivals.filter((arrival) => arrival.end <= common);
    }
    if (text.length > this.shown) this.arrivals.push({ end: text.length, at: now });
    this.target = text;
    this.shown = Math.min(this.shown, text.length);
  }

  /** Moves the reveal on to `now` and returns what to show. */
  frame(now: number): string {
    const elapsed = this.lastFrame === undefined ? 16 : Math.max(0, now - this.lastFrame);
    this.lastFrame = now;
    const backlog = this.target.length - this.shown;
    if (backlog > 0) {
      const paced = this.shown + Math.ceil(backlog * Math.min(1, elapsed / PACE_MS));
      const deadline = now - (MAX_REVEAL_LAG_MS - FRAME_MARGIN_MS);
      const due = this.arrivals.reduce(
        (end, arrival) => (arrival.at <= deadline ? Math.max(end, arrival.end) : end),
        0,
      );
      this.shown = Math.min(this.target.length, Math.max(paced, due));
      // Never split a surrogate pair (an emoji) in two.
      const code = this.target.charCodeAt(this.shown - 1);
      if (code >= 0xd800 && code <= 0xdbff) this.shown += 1;
    }
    this.arrivals = this.arrivals.filter((arrival) => arrival.end > this.shown);
    if (this.shown >= this.target.length) this.lastFrame = undefined;
    return this.text;
  }

  get text(): string {
    return this.target.slice(0, this.shown);
  }

  /** Everything that arrived is shown. */
  get caughtUp(): boolean {
    return this.shown >= this.target.length;
  }
}
