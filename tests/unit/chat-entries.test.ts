import { describe, expect, it } from 'vitest';
import { type ChatEntry, isOnShownPath, mergeEntries, replaceWithFetched } from '@/client/chat-entries';

function entry(
  id: string,
  role: 'user' | 'assistant',
  at: number,
  extra: Partial<ChatEntry> = {},
): ChatEntry {
  return {
    id,
    sessionId: 's',
    parentId: null,
    branch: null,
    role,
    content: id,
    model: null,
    status: 'complete',
    streamSeq: 0,
    metadata: {},
    createdAt: new Date(at),
    updatedAt: new Date(at),
    ...extra,
  };
}

describe('chat entries', () => {
  it('orders by time, a question before its answer at the same instant, unconfirmed messages last', () => {
    const list = mergeEntries(
      [],
      [
        entry('local:x', 'user', 1, { pending: 'sending', clientMessageId: 'x' }),
        entry('answer', 'assistant', 5),
        entry('question', 'user', 5),
        entry('earlier', 'user', 2),
      ],
    );
    expect(list.map((item) => item.id)).toEqual(['earlier', 'question', 'answer', 'local:x']);
  });

  it('replaces the unconfirmed copy when the stored row with its clientMessageId arrives', () => {
    const pending = entry('local:x', 'user', 1, { pending: 'queued', clientMessageId: 'x' });
    const stored = entry('row-1', 'user', 2, { clientMessageId: 'x' });
    expect(mergeEntries([pending], [stored]).map((item) => item.id)).toEqual(['row-1']);
  });

  it('keeps unconfirmed messages across a refetch', () => {
    const pending = entry('local:y', 'user', 9, { pending: 'sending', clientMessageId: 'y' });
    const fetched = [entry('a', 'user', 1), entry('b', 'assistant', 2)];
    expect(replaceWithFetched([entry('old', 'user', 0), pending], fetched).map((item) => item.id)).toEqual([
      'a',
      'b',
      'local:y',
    ]);
  });

  it('takes a row that continues the shown path or replaces a shown message, and leaves other branches out', () => {
    const list = [entry('q1', 'user', 1), entry('a1', 'assistant', 2, { parentId: 'q1' })];
    expect(isOnShownPath(list, entry('q2', 'user', 3, { parentId: 'a1' }))).toBe(true);
    expect(isOnShownPath(list, entry('a1', 'assistant', 2, { parentId: 'q1', content: 'more' }))).toBe(true);
    // another reply to q1 (a regeneration elsewhere) and another first question (an edit elsewhere)
    expect(isOnShownPath(list, entry('a1b', 'assistant', 4, { parentId: 'q1' }))).toBe(false);
    expect(isOnShownPath(list, entry('q1b', 'user', 5))).toBe(false);
    expect(isOnShownPath([], entry('q1', 'user', 1))).toBe(true);
  });

  it('a row event keeps the versions the last fetch knew of the message', () => {
    const branch = { index: 2, count: 2, siblingIds: ['a0', 'a1'] };
    const list = [entry('a1', 'assistant', 2, { parentId: 'q1', branch })];
    const updated = mergeEntries(list, [entry('a1', 'assistant', 2, { parentId: 'q1', content: 'final' })]);
    expect(updated[0]).toMatchObject({ content: 'final', branch });
  });

  it('a fetch that started before a send keeps the messages that arrived live after it, but no other branch', () => {
    const question = entry('q2', 'user', 3, { parentId: 'a1' });
    const reply = entry('a2', 'assistant', 4, { parentId: 'q2', status: 'streaming', content: 'Par' });
    const before = [entry('q1', 'user', 1), entry('a1', 'assistant', 2, { parentId: 'q1' })];
    const stale = replaceWithFetched([...before, question, reply], before);
    expect(stale.map((item) => [item.id, item.content])).toEqual([
      ['q1', 'q1'],
      ['a1', 'a1'],
      ['q2', 'q2'],
      ['a2', 'Par'],
    ]);
    // switched to another version of the first question: the old path is gone
    const other = [entry('q1b', 'user', 5), entry('a1b', 'assistant', 6, { parentId: 'q1b' })];
    expect(replaceWithFetched([...before, question, reply], other).map((item) => item.id)).toEqual([
      'q1b',
      'a1b',
    ]);
  });

  it('keeps the earlier messages it holds when a fetch of the newest page continues the same path', () => {
    const list = [
      entry('q1', 'user', 1),
      entry('a1', 'assistant', 2, { parentId: 'q1' }),
      entry('q2', 'user', 3, { parentId: 'a1' }),
      entry('a2', 'assistant', 4, { parentId: 'q2' }),
    ];
    const newestPage = [
      entry('q2', 'user', 3, { parentId: 'a1' }),
      entry('a2', 'assistant', 4, { parentId: 'q2', content: 'a2, finished' }),
    ];
    const merged = replaceWithFetched(list, newestPage);
    expect(merged.map((item) => item.id)).toEqual(['q1', 'a1', 'q2', 'a2']);
    expect(merged.at(-1)?.content).toBe('a2, finished');
  });

  it('drops the earlier messages of another path when the newest page starts elsewhere', () => {
    const list = [entry('q1', 'user', 1), entry('a1', 'assistant', 2, { parentId: 'q1' })];
    const otherPath = [
      entry('q1b', 'user', 3, { parentId: 'a0' }),
      entry('a1b', 'assistant', 4, { parentId: 'q1b' }),
    ];
    expect(replaceWithFetched(list, otherPath).map((item) => item.id)).toEqual(['q1b', 'a1b']);
  });
});
