import { describe, expect, it } from 'vitest';
import { type AssembledReply, ReplyAssembler } from '@/client/reply-assembler';

const id = 'reply-1';
const delta = (seq: number, text: string) => ({ messageId: id, seq, text });
const streaming = (content: string, stream_seq: number) => ({ id, content, stream_seq, status: 'streaming' });

function assembler() {
  const changes: AssembledReply[] = [];
  const gaps: number[] = [];
  const instance = new ReplyAssembler({
    onChange: (reply) => changes.push(reply),
    onGap: (_id, missing) => gaps.push(missing),
  });
  return { instance, changes, gaps };
}

describe('reply assembler', () => {
  it('applies deltas in seq order on top of the snapshot', () => {
    const { instance, gaps } = assembler();
    instance.applyRow(streaming('', 0));
    instance.applyDelta(delta(1, 'Hel'));
    instance.applyDelta(delta(2, 'lo'));
    expect(instance.get(id)).toEqual({
      messageId: id,
      text: 'Hello',
      seq: 2,
      status: 'streaming',
      settled: false,
    });
    expect(gaps).toEqual([]);
  });

  it('buffers deltas that arrive before the snapshot and applies only those after stream_seq', () => {
    const { instance } = assembler();
    instance.applyDelta(delta(2, 'b'));
    instance.applyDelta(delta(3, 'c'));
    instance.applyDelta(delta(4, 'd'));
    expect(instance.get(id)).toBeUndefined();
    instance.applyRow(streaming('ab', 2));
    expect(instance.text(id)).toBe('abcd');
  });

  it('ignores duplicate and old deltas', () => {
    const { instance } = assembler();
    instance.applyRow(streaming('abc', 3));
    instance.applyDelta(delta(2, 'b'));
    instance.applyDelta(delta(3, 'c'));
    instance.applyDelta(delta(4, 'd'));
    instance.applyDelta(delta(4, 'd'));
    expect(instance.text(id)).toBe('abcd');
  });

  it('reports a gap once, and a later snapshot closes it', () => {
    const { instance, gaps } = assembler();
    instance.applyRow(streaming('a', 1));
    instance.applyDelta(delta(3, 'c'));
    instance.applyDelta(delta(4, 'd'));
    expect(gaps).toEqual([2]);
    expect(instance.text(id)).toBe('a');
    instance.applyRow(streaming('ab', 2));
    expect(instance.text(id)).toBe('abcd');
  });

  it('reports a gap when a fresh snapshot leaves buffered deltas beyond a missing seq', () => {
    const { instance, gaps } = assembler();
    instance.applyDelta(delta(5, 'e'));
    instance.applyRow(streaming('abc', 3));
    expect(gaps).toEqual([4]);
    instance.applyRow(streaming('abcd', 4));
    expect(instance.text(id)).toBe('abcde');
  });

  it('ignores a snapshot older than what deltas already built', () => {
    const { instance } = assembler();
    instance.applyRow(streaming('', 0));
    instance.applyDelta(delta(1, 'a'));
    instance.applyDelta(delta(2, 'b'));
    instance.applyRow(streaming('a', 1));
    expect(instance.text(id)).toBe('ab');
  });

  it('the final row settles the reply, whatever deltas came or come', () => {
    const { instance, changes } = assembler();
    instance.applyRow(streaming('', 0));
    instance.applyDelta(delta(1, 'a'));
    instance.applyRow({ id, content: 'abc', stream_seq: 3, status: 'complete' });
    instance.applyDelta(delta(2, 'X'));
    instance.applyRow(streaming('a', 1));
    expect(instance.get(id)).toEqual({
      messageId: id,
      text: 'abc',
      seq: 3,
      status: 'complete',
      settled: true,
    });
    expect(changes.at(-1)?.settled).toBe(true);
  });

  it('settles stopped, error and interrupted rows with their content', () => {
    for (const status of ['stopped', 'error', 'interrupted']) {
      const { instance } = assembler();
      instance.applyRow({ id, content: 'part', streamSeq: 2, status });
      expect(instance.get(id)).toMatchObject({ text: 'part', status, settled: true });
    }
  });

  it('keeps emoji split across deltas intact', () => {
    const { instance } = assembler();
    instance.applyRow(streaming('', 0));
    instance.applyDelta(delta(1, 'hi \ud83d'));
    instance.applyDelta(delta(2, '\ude80!'));
    expect(instance.text(id)).toBe('hi 🚀!');
  });

  it('tracks several replies independently, and forgets a deleted one', () => {
    const { instance } = assembler();
    instance.applyRow({ id: 'x', content: '', stream_seq: 0, status: 'streaming' });
    instance.applyRow({ id: 'y', content: 'done', stream_seq: 1, status: 'complete' });
    instance.applyDelta({ messageId: 'x', seq: 1, text: 'x1' });
    expect([instance.text('x'), instance.text('y')]).toEqual(['x1', 'done']);
    instance.forget('x');
    expect(instance.get('x')).toBeUndefined();
  });
});
