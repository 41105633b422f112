import { describe, expect, it } from 'vitest';
import { type ChatEntry, mergeEntries, replaceWithFetched } from '@/client/chat-entries';

function entry(
  id: string,
  role: 'user' | 'assistant',
  at: number,
  extra: Partial<ChatEntry> = {},
): ChatEntry {
  return {
    id,
    sessionId: 's',
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
});
