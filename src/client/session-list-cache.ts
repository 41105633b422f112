import type { InfiniteData } from '@tanstack/react-query';
import { type ChatSession, compareSessions } from '@/shared/session-row';
import type { SessionPage } from './session-page';

/** The sidebar's keyset pages as react-query holds them (sessions.list, infinite). */
export type SessionPages = InfiniteData<SessionPage, string | null>;

export function matchesSearch(session: ChatSession, search: string | undefined): boolean {
  return !search || session.title.toLowerCase().includes(search.trim().toLowerCase());
}

/**
 * The pages with `session` inserted or replaced (or taken out, when it no longer matches the search), in the
 * server's order. A session older than every page loaded so far is left for the next page to bring.
 */
export function withSession(
  data: SessionPages,
  session: ChatSession,
  search: string | undefined,
): SessionPages {
  const pages = data.pages.map((page) => ({
    ...page,
    items: page.items.filter((item) => item.id !== session.id),
  }));
  if (matchesSearch(session, search)) {
    const home = pages.findIndex(
      (page) => page.nextCursor === null || page.items.some((item) => compareSessions(session, item) < 0),
    );
    const page = pages[home];
    if (page) pages[home] = { ...page, items: [...page.items, session].sort(compareSessions) };
  }
  return { ...data, pages };
}

export function withoutSession(data: SessionPages, id: string): SessionPages {
  return {
    ...data,
    pages: data.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== id) })),
  };
}
