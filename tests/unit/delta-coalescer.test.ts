import { describe, expect, it, vi } from 'vitest';
import { DeltaCoalescer, MAX_DELTA_CHARS } from '@/server/chat-engine/delta-coalescer';
import type { ReplyDelta } from '@/shared/reply-stream';

function coalescer(coalesceMs: number) {
  const sent: ReplyDelta[] = [];
  const instance = new DeltaCoalescer('m1', coalesceMs, async (delta) => {
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

  it('a token after a quiet window goes out at once (a slow provider is not held back)', async () => {
    vi.useFakeTimers();
    try {
      const { instance, sent } = coalescer(100);
      instance.push('a');
      vi.advanceTimersByTime(150);
      instance.push('b');
      expect(sent.map((d) => d.text)).toEqual(['a', 'b']);
      instance.push('c');
      instance.push('d');
      expect(sent).toHaveLength(2);
      vi.advanceTimersByTime(100);
      expect(sent.map((d) => d.text)).toEqual(['a', 'b', 'cd']);
    } finally {
      vi.useRealTimers();
    }
  });
});
