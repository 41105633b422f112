'use client';

import { type QueryClient, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import type { ChatSession } from '@/shared/session-row';
import { errorMessage } from './error-message';
import { useTRPC, useTRPCClient } from './query-provider';
import { useRealtimeClient } from './realtime-context';
import { type SessionPages, withoutSession, withSession } from './session-list-cache';
import { SESSION_PAGE_SIZE, type SessionPage } from './session-page';
import { followSidebar } from './sidebar-feed';

type TRPC = ReturnType<typeof useTRPC>;

/** Typing pauses this long before the list is asked again. */
const SEARCH_DEBOUNCE_MS = 200;

interface SessionSearch {
  /** What the search box holds. */
  search: string;
  setSearch(search: string): void;
  /** The title filter the list was last asked for (the search, a moment after the last keystroke). */
  titleFilter: string | undefined;
}

const SearchContext = createContext<SessionSearch | null>(null);

function listInput(titleFilter: string | undefined) {
  return { limit: SESSION_PAGE_SIZE, search: titleFilter };
}

/** The title filter a cached sessions.list query was made with (tRPC keys hold `{ input, type }`). */
function titleFilterOf(queryKey: readonly unknown[]): string | undefined {
  const meta = queryKey[1] as { input?: { search?: string } } | undefined;
  return meta?.input?.search;
}

/** A session changed (here, in another tab, from the server): every cached list and the session itself. */
export function writeSession(queryClient: QueryClient, api: TRPC, session: ChatSession): void {
  for (const [queryKey] of queryClient.getQueriesData<SessionPages>(
    api.sessions.list.infiniteQueryFilter(),
  )) {
    queryClient.setQueryData<SessionPages>(
      queryKey,
      (data) => data && withSession(data, session, titleFilterOf(queryKey)),
    );
  }
  queryClient.setQueryData(api.sessions.get.queryKey({ id: session.id }), (cached) => cached && session);
}

/** A session was deleted: out of every list; a chat showing it asks again, hears it is gone, and leaves. */
export function forgetSession(queryClient: QueryClient, api: TRPC, id: string): void {
  for (const [queryKey] of queryClient.getQueriesData<SessionPages>(
    api.sessions.list.infiniteQueryFilter(),
  )) {
    queryClient.setQueryData<SessionPages>(queryKey, (data) => data && withoutSession(data, id));
  }
  void queryClient.invalidateQueries(api.sessions.get.queryFilter({ id }));
}

/** After a drop, changes may have been missed: every list starts again from its first page, shown meanwhile. */
function restartLists(queryClient: QueryClient, api: TRPC): void {
  const lists = api.sessions.list.infiniteQueryFilter();
  queryClient.setQueriesData<SessionPages>(
    lists,
    (data) => data && { pages: data.pages.slice(0, 1), pageParams: data.pageParams.slice(0, 1) },
  );
  void queryClient.refetchQueries(lists);
}

/**
 * The sidebar's data: keyset pages of `sessions.list` in react-query (the first one as the server rendered
 * it), kept live by the user's private sessions topic (./sidebar-feed.ts, Broadcast from Database), refetched
 * after the feed rejoins. Holds the search box's text, which the list and the message search both read.
 */
export function SessionListProvider({
  userId,
  initialPage,
  children,
}: {
  userId: string;
  /** The first page as the server rendered it, so the sidebar paints full before any script runs. */
  initialPage: SessionPage;
  children: ReactNode;
}) {
  const api = useTRPC();
  const queryClient = useQueryClient();
  const realtime = useRealtimeClient();
  const [search, setSearchText] = useState('');
  const [titleFilter, setTitleFilter] = useState<string | undefined>();
  useState(() =>
    queryClient.setQueryData(api.sessions.list.infiniteQueryKey(listInput(undefined)), {
      pages: [initialPage],
      pageParams: [null],
    }),
  );

  useEffect(() => {
    const wanted = search.trim() || undefined;
    const timer = setTimeout(() => setTitleFilter(wanted), wanted ? SEARCH_DEBOUNCE_MS : 0);
    return () => clearTimeout(timer);
  }, [search]);

  useEffect(() => {
    if (!realtime) return;
    const channel = followSidebar(realtime.socket, userId, {
      onSession: (session) => writeSession(queryClient, api, session),
      onDeleted: (id) => forgetSession(queryClient, api, id),
      onJoined(again) {
        if (again) restartLists(queryClient, api);
      },
    });
    return () => {
      void realtime.socket.removeChannel(channel);
    };
  }, [realtime, userId, queryClient, api]);

  return <SearchContext value={{ search, setSearch: setSearchText, titleFilter }}>{children}</SearchContext>;
}

export function useSessionSearch(): SessionSearch {
  const value = useContext(SearchContext);
  if (!value) throw new Error('useSessionSearch must be used inside <SessionListProvider>');
  return value;
}

/** The sidebar's list for the current search, page after keyset page. */
export function useSessionList() {
  const api = useTRPC();
  const { titleFilter } = useSessionSearch();
  const query = useInfiniteQuery(
    api.sessions.list.infiniteQueryOptions(listInput(titleFilter), {
      initialCursor: null,
      getNextPageParam: (page) => page.nextCursor,
      // While a new search loads, the list shown so far stays.
      placeholderData: (previous) => previous,
    }),
  );
  const { fetchNextPage, hasNextPage, isFetching } = query;
  const loadMore = useCallback(async () => {
    if (hasNextPage && !isFetching) await fetchNextPage();
  }, [fetchNextPage, hasNextPage, isFetching]);
  return {
    sessions: query.data?.pages.flatMap((page) => page.items) ?? [],
    hasMore: hasNextPage,
    loading: isFetching,
    /** The first page has arrived: an empty list means no chats. */
    loadedOnce: query.data !== undefined,
    error: query.error ? errorMessage(query.error, 'Could not load chats') : null,
    search: titleFilter ?? '',
    loadMore,
  };
}

/**
 * A session's title as the cache knows it, fetching nothing: the open chat's own entry, else the sidebar's
 * first pages (which the server rendered with the layout, so the title is there before any script runs).
 */
export function useCachedSessionTitle(id: string | null): string | undefined {
  const api = useTRPC();
  const { data: session } = useQuery({ ...api.sessions.get.queryOptions({ id: id ?? '' }), enabled: false });
  const { data: list } = useInfiniteQuery({
    ...api.sessions.list.infiniteQueryOptions(listInput(undefined), {
      initialCursor: null,
      getNextPageParam: (page) => page.nextCursor,
    }),
    enabled: false,
  });
  if (!id) return undefined;
  return session?.title ?? list?.pages.flatMap((page) => page.items).find((item) => item.id === id)?.title;
}

/**
 * Rename, pin and delete: each answer (or the deletion) lands in the cache at once. Plain calls, not
 * useMutation: the item awaits them and shows its own error, so a mutation observer would add bytes, nothing else.
 */
export function useSessionActions() {
  const api = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  return {
    rename: async (id: string, title: string) =>
      writeSession(queryClient, api, await client.sessions.rename.mutate({ id, title })),
    setPinned: async (id: string, pinned: boolean) =>
      writeSession(queryClient, api, await client.sessions.pin.mutate({ id, pinned })),
    remove: async (id: string) =>
      forgetSession(queryClient, api, (await client.sessions.delete.mutate({ id })).id),
  };
}
