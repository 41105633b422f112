import { describe, expect, it, vi } from 'vitest';
import {
  type CoalescingTiming,
  coalescingTiming,
  DeltaCoalescer,
  MAX_DELTA_CHARS,
} from '@/server/chat-engine/delta-coalescer';
import type { ReplyDelta } from '@/shared/reply-stream';

function coalescer(timing: number | CoalescingTiming) {
  const sent: ReplyDelta[] = [];
  const window =
    typeof timing === 'number' ? { minGapMs: timing, maxHoldMs: timing, targetChars: 1 } : timing;
  const instance = new DeltaCoalescer('m1', window, async (delta) => {
    sent.push(delta);
  });
  return { instance, sent };
}

describe('delta coalescer', () => {
  it('sends the first token at once, then gathers what arrives within the window into one delta', async () => {
    const { instance, sent } = coalescer(60_000);
    instance.push('Hel');
    expect(sent).toEqual([{ messageId: 'm1', seq: 1, text: 'Hel' }]);
    instance.push('lo');
    instance.push(' world');
    expect(sent).toHaveLength(1);
    await instance.finish();
    expect(sent).toEqual([
      { messageId: 'm1', seq: 1, text: 'Hel' },
      { messageId: 'm1', seq: 2, text: 'lo world' },
    ]);
    expect(instance.sentText).toBe('Hello world');
    expect(instance.seq).toBe(2);
  });

  it('with no window each token is its own delta, numbered without gaps', async () => {
    const { instance, sent } = coalescer(0);
    for (const token of ['a', 'b', 'c']) instance.push(token);
    await instance.finish();
    expect(sent.map((d) => [d.seq, d.text])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
  });

  it('never ends a delta inside a surrogate pair, so checkpoints never hold half an emoji', async () => {
    const { instance, sent } = coalescer(0);
    instance.push('go \ud83d');
    expect(instance.sentText).toBe('go ');
    instance.push('\ude80!');
    await instance.finish();
    expect(sent.map((d) => d.text)).toEqual(['go ', '🚀!']);
    expect(instance.sentText).toBe('go 🚀!');
  });

  it('finish sends a trailing half pair as it is (the reply is over)', async () => {
    const { instance } = coalescer(0);
    instance.push('end \ud83d');
    await instance.finish();
    expect(instance.sentText).toBe('end \ud83d');
  });

  it('ignores empty tokens', async () => {
    const { instance, sent } = coalescer(0);
    instance.push('');
    await instance.finish();
    expect(sent).toEqual([]);
  });

  it('sends a buffer that reached MAX_DELTA_CHARS at once, inside the window', async () => {
    const { instance, sent } = coalescer(60_000);
    instance.push('first');
    const big = 'x'.repeat(MAX_DELTA_CHARS);
    instance.push(big);
    expect(sent.map((d) => d.text)).toEqual(['first', big]);
    instance.push('tail');
    await instance.finish();
    expect(sent.map((d) => d.seq)).toEqual([1, 2, 3]);
    expect(instance.sentText).toBe(`first${big}tail`);
  });

  it('adapts: a token after a quiet spell goes at once; a fast stream waits for the minimum gap once enough text is buffered, a slow one up to the hold', async () => {
    vi.useFakeTimers();
    try {
      const { instance, sent } = coalescer({ minGapMs: 100, maxHoldMs: 200, targetChars: 10 });
      instance.push('a');
      expect(sent.map((d) => d.text)).toEqual(['a']);
      // slow: little text, so it waits for the hold
      instance.push('b');
      vi.advanceTimersByTime(150);
      expect(sent).toHaveLength(1);
      vi.advanceTimersByTime(50);
      expect(sent.map((d) => d.text)).toEqual(['a', 'b']);
      // fast: the target is reached, so it leaves at the minimum gap
      instance.push('0123456789');
      expect(sent).toHaveLength(2);
      vi.advanceTimersByTime(100);
      expect(sent.map((d) => d.text)).toEqual(['a', 'b', '0123456789']);
      // quiet for longer than the hold: the next token goes at once
      vi.advanceTimersByTime(500);
      instance.push('z');
      expect(sent.map((d) => d.text)).toEqual(['a', 'b', '0123456789', 'z']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never sends more than 1000/minGapMs deltas a second, whatever the token rate', async () => {
    vi.useFakeTimers();
    try {
      const { instance, sent } = coalescer(coalescingTiming(100));
      for (let ms = 0; ms < 5000; ms += 2) {
        instance.push(' token');
        vi.advanceTimersByTime(2);
      }
      await instance.finish();
      expect(sent.length).toBeLessThanOrEqual(51 + 1);
      expect(sent.map((d) => d.text).join('')).toBe(' token'.repeat(2500));
    } finally {
      vi.useRealTimers();
    }
  });
});
