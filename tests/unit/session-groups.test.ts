import { describe, expect, it } from 'vitest';
import type { ChatSession } from '@/client/api-types';
import { groupSessions } from '@/client/session-groups';

function session(title: string, lastMessageAt: Date, pinned = false): ChatSession {
  return {
    id: title,
    title,
    createdAt: lastMessageAt,
    updatedAt: lastMessageAt,
    lastMessageAt,
    pinnedAt: pinned ? lastMessageAt : null,
    model: null,
    currentLeafId: null,
  };
}

describe('groupSessions', () => {
  it('puts sessions under Pinned, Today, Yesterday, Previous 7 days and Older, in that order', () => {
    const now = new Date(2026, 10, 30, 12, 0);
    const groups = groupSessions(
      [
        session('this morning', new Date(2026, 10, 30, 8, 0)),
        session('pinned long ago', new Date(2026, 0, 1), true),
        session('last night', new Date(2026, 10, 29, 23, 59)),
        session('three days ago', new Date(2026, 10, 27, 10, 0)),
        session('last month', new Date(2026, 9, 15)),
      ],
      now,
    );
    expect(groups.map((group) => [group.name, group.sessions.map((s) => s.title)])).toEqual([
      ['Pinned', ['pinned long ago']],
      ['Today', ['this morning']],
      ['Yesterday', ['last night']],
      ['Previous 7 days', ['three days ago']],
      ['Older', ['last month']],
    ]);
  });

  it('leaves out empty headings', () => {
    const now = new Date(2026, 10, 30, 12, 0);
    expect(groupSessions([session('a', now)], now).map((group) => group.name)).toEqual(['Today']);
  });
});
