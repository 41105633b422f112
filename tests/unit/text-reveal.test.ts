import { describe, expect, it } from 'vitest';
import { MAX_REVEAL_LAG_MS, TextReveal } from '@/client/text-reveal';

/** Drives a TextReveal with deltas arriving at given times and a frame every 16 ms; records every frame. */
function simulate(deltas: { at: number; text: string }[], until: number) {
  const reveal = new TextReveal('');
  const frames: { now: number; shown: string; arrived: { at: number; length: number }[] }[] = [];
  const arrived: { at: number; length: number }[] = [];
  let full = '';
  let next = 0;
  for (let now = 0; now <= until; now += 16) {
    while (next < deltas.length && (deltas[next]?.at ?? Infinity) <= now) {
      full += deltas[next]?.text ?? '';
      arrived.push({ at: deltas[next]?.at ?? 0, length: full.length });
      reveal.update(full, deltas[next]?.at ?? now);
      next += 1;
    }
    frames.push({ now, shown: reveal.frame(now), arrived: [...arrived] });
  }
  return { frames, full };
}

describe('TextReveal (smooth streaming)', () => {
  const chunk = (index: number) => `chunk${index} ${'lorem ipsum '.repeat(4)}`;
  const fewLargeDeltas = Array.from({ length: 8 }, (_, index) => ({ at: index * 100, text: chunk(index) }));

  it(`never shows a character more than ${MAX_REVEAL_LAG_MS} ms after it arrived`, () => {
    const { frames } = simulate(fewLargeDeltas, 1200);
    for (const frame of frames) {
      const due = frame.arrived.filter((arrival) => arrival.at <= frame.now - MAX_REVEAL_LAG_MS);
      const mustShow = Math.max(0, ...due.map((arrival) => arrival.length));
      expect(frame.shown.length, `at ${frame.now} ms`).toBeGreaterThanOrEqual(mustShow);
    }
  });

  it('reveals ten deltas a second in many small steps, always a prefix of the real text', () => {
    const { frames, full } = simulate(fewLargeDeltas, 1200);
    const lengths = new Set(frames.map((frame) => frame.shown.length));
    expect(lengths.size).toBeGreaterThan(fewLargeDeltas.length * 4);
    for (const frame of frames) expect(full.startsWith(frame.shown)).toBe(true);
    expect(frames.at(-1)?.shown).toBe(full);
  });

  it('shows text that was there before it started at once, and restarts from a changed text', () => {
    const reveal = new TextReveal('already here');
    expect(reveal.frame(0)).toBe('already here');
    reveal.update('already here and more', 10);
    reveal.update('something else', 20);
    expect('something else'.startsWith(reveal.frame(30))).toBe(true);
    expect(reveal.frame(400)).toBe('something else');
  });

  it('never splits an emoji', () => {
    const reveal = new TextReveal('');
    reveal.update('a😀b😀c😀d😀', 0);
    for (let now = 0; now < 400; now += 5) {
      const shown = reveal.frame(now);
      const last = shown.charCodeAt(shown.length - 1);
      expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
    }
  });
});
