import { describe, expect, it } from 'vitest';
import { type SessionPages, withoutSession, withSession } from '@/client/session-list-cache';
import type { ChatSession } from '@/shared/session-row';

function session(id: string, minute: number, title = `Chat ${id}`): ChatSession {
  const at = new Date(Date.UTC(2026, 11, 1, 10, minute));
  return {
    id,
    title,
    createdAt: at,
    updatedAt: at,
    lastMessageAt: at,
    pinnedAt: null,
    model: null,
    currentLeafId: null,
  };
}

function pages(...lists: ChatSession[][]): SessionPages {
  return {
    pages: lists.map((items, index) => ({
      items,
      nextCursor: index < lists.length - 1 ? `c${index}` : null,
    })),
    pageParams: lists.map((_, index) => (index === 0 ? null : `c${index - 1}`)),
  };
}

const ids = (data: SessionPages) => data.pages.map((page) => page.items.map((item) => item.id));

describe('the sidebar pages in the cache', () => {
  it('moves a chat with new activity to the top, out of the page it was on', () => {
    const data = pages([session('b', 50), session('c', 40)], [session('d', 30), session('e', 20)]);
    expect(ids(withSession(data, session('e', 59), undefined))).toEqual([['e', 'b', 'c'], ['d']]);
  });

  it('puts a new chat where the server would list it, and leaves one older than every page for a later page', () => {
    const data = pages([session('b', 50)], [session('d', 30)]);
    expect(ids(withSession(data, session('c', 40), undefined))).toEqual([['b'], ['c', 'd']]);
    const more = { ...data, pages: data.pages.map((page) => ({ ...page, nextCursor: 'more' })) };
    expect(ids(withSession(more, session('z', 1), undefined))).toEqual([['b'], ['d']]);
  });

  it('keeps a searched list to the chats whose title matches', () => {
    const data = pages([session('b', 50, 'Trip plans')]);
    expect(ids(withSession(data, session('c', 55, 'Groceries'), 'trip'))).toEqual([['b']]);
    expect(ids(withSession(data, session('b', 55, 'Renamed'), 'trip'))).toEqual([[]]);
    expect(ids(withSession(data, session('c', 55, 'Trip budget'), 'trip'))).toEqual([['c', 'b']]);
  });

  it('takes a deleted chat out of every page', () => {
    const data = pages([session('b', 50)], [session('d', 30)]);
    expect(ids(withoutSession(data, 'd'))).toEqual([['b'], []]);
  });
});
