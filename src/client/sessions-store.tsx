'use client';

import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { ChatSession } from './api-types';
import { errorMessage } from './error-message';
import { useRealtimeClient } from './realtime-context';
import { SESSION_PAGE_SIZE, type SessionPage } from './session-page';
import { mergeSessions } from './session-row';
import { followSidebar } from './sidebar-feed';
import { trpc } from './trpc-client';

const pageSize = SESSION_PAGE_SIZE;

export interface SessionsStore {
  sessions: ChatSession[];
  hasMore: boolean;
  loading: boolean;
  /** The first page has arrived (from the server's render or a fetch): an empty list means no chats. */
  loadedOnce: boolean;
  error: string | null;
  search: string;
  setSearch(search: string): void;
  loadMore(): Promise<void>;
  /** A session this tab created or touched (chat.send): shown at once, before the live feed confirms it. */
  remember(session: ChatSession): void;
  rename(id: string, title: string): Promise<void>;
  setPinned(id: string, pinned: boolean): Promise<void>;
  remove(id: string): Promise<void>;
  /** Ids deleted while this tab was open (here or elsewhere), so an open chat can leave. */
  deletedIds: ReadonlySet<string>;
}

const SessionsContext = createContext<SessionsStore | null>(null);

function matchesSearch(session: ChatSession, search: string): boolean {
  return !search || session.title.toLowerCase().includes(search.trim().toLowerCase());
}

/**
 * The sidebar's list: keyset pages from `sessions.list`, kept live by the user's private sessions topic
 * (./sidebar-feed.ts, Broadcast from Database), refetched from the top after a reconnect.
 */
export function SessionsProvider({
  userId,
  initialPage,
  children,
}: {
  userId: string;
  /** The first page as the server rendered it, so the sidebar paints full before any script runs. */
  initialPage?: SessionPage;
  children: ReactNode;
}) {
  const realtime = useRealtimeClient();
  const [sessions, setSessions] = useState<ChatSession[]>(initialPage?.items ?? []);
  const [cursor, setCursor] = useState<string | null>(initialPage?.nextCursor ?? null);
  const [hasMore, setHasMore] = useState(initialPage ? initialPage.nextCursor !== null : false);
  const [loading, setLoading] = useState(!initialPage);
  const [loadedOnce, setLoadedOnce] = useState(initialPage !== undefined);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearchState] = useState('');
  const [deletedIds, setDeletedIds] = useState<ReadonlySet<string>>(new Set());
  // Every load carries the generation it started in; a newer search or resync makes older answers stale.
  const generation = useRef(0);
  const searchRef = useRef('');
  const loadingRef = useRef(false);

  const loadFirstPage = useCallback(async () => {
    const mine = ++generation.current;
    loadingRef.current = true;
    setLoading(true);
    try {
      const page = await trpc.sessions.list.query({
        limit: pageSize,
        search: searchRef.current || undefined,
      });
      if (mine !== generation.current) return;
      setSessions(page.items);
      setCursor(page.nextCursor);
      setHasMore(page.nextCursor !== null);
      setLoadedOnce(true);
      setError(null);
    } catch (cause) {
      if (mine === generation.current) setError(errorMessage(cause, 'Could not load chats'));
    } finally {
      if (mine === generation.current) {
        loadingRef.current = false;
        setLoading(false);
      }
    }
  }, []);

  const loadMore = useCallback(async () => {
    if (loadingRef.current || !cursor) return;
    const mine = generation.current;
    loadingRef.current = true;
    setLoading(true);
    try {
      const page = await trpc.sessions.list.query({
        limit: pageSize,
        cursor,
        search: searchRef.current || undefined,
      });
      if (mine !== generation.current) return;
      setSessions((current) => mergeSessions(current, page.items));
      setCursor(page.nextCursor);
      setHasMore(page.nextCursor !== null);
    } catch (cause) {
      if (mine === generation.current) setError(errorMessage(cause, 'Could not load chats'));
    } finally {
      if (mine === generation.current) {
        loadingRef.current = false;
        setLoading(false);
      }
    }
  }, [cursor]);

  const setSearch = useCallback((value: string) => {
    setSearchState(value);
    searchRef.current = value.trim();
  }, []);

  // The first page, and again as the user types a search (a moment after the last keystroke).
  useEffect(() => {
    const timer = setTimeout(() => void loadFirstPage(), search ? 200 : 0);
    return () => clearTimeout(timer);
  }, [search, loadFirstPage]);

  useEffect(() => {
    if (!realtime) return;
    const channel = followSidebar(realtime.socket, userId, {
      onSession(session) {
        setSessions((current) => {
          if (!matchesSearch(session, searchRef.current)) {
            return current.filter((existing) => existing.id !== session.id);
          }
          return mergeSessions(current, [session]);
        });
      },
      onDeleted(id) {
        // An id this tab never listed filters nothing; an open chat of that id leaves.
        setSessions((current) => current.filter((session) => session.id !== id));
        setDeletedIds((current) => new Set(current).add(id));
      },
      onJoined(again) {
        // After a drop, changes may have been missed: start again from the top.
        if (again) void loadFirstPage();
      },
    });
    return () => {
      void realtime.socket.removeChannel(channel);
    };
  }, [realtime, userId, loadFirstPage]);

  const remember = useCallback((session: ChatSession) => {
    if (!matchesSearch(session, searchRef.current)) return;
    setSessions((current) => mergeSessions(current, [session]));
  }, []);

  const rename = useCallback(async (id: string, title: string) => {
    const updated = await trpc.sessions.rename.mutate({ id, title });
    setSessions((current) => mergeSessions(current, [updated]));
  }, []);

  const setPinned = useCallback(async (id: string, pinned: boolean) => {
    const updated = await trpc.sessions.pin.mutate({ id, pinned });
    setSessions((current) => mergeSessions(current, [updated]));
  }, []);

  const remove = useCallback(async (id: string) => {
    await trpc.sessions.delete.mutate({ id });
    setSessions((current) => current.filter((session) => session.id !== id));
    setDeletedIds((current) => new Set(current).add(id));
  }, []);

  const store = useMemo<SessionsStore>(
    () => ({
      sessions,
      hasMore,
      loading,
      loadedOnce,
      error,
      search,
      setSearch,
      loadMore,
      remember,
      rename,
      setPinned,
      remove,
      deletedIds,
    }),
    [
      sessions,
      hasMore,
      loading,
      loadedOnce,
      error,
      search,
      setSearch,
      loadMore,
      remember,
      rename,
      setPinned,
      remove,
      deletedIds,
    ],
  );
  return <SessionsContext.Provider value={store}>{children}</SessionsContext.Provider>;
}

export function useSessions(): SessionsStore {
  const store = useContext(SessionsContext);
  if (!store) throw new Error('useSessions must be used inside <SessionsProvider>');
  return store;
}
