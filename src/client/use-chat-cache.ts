'use client';

import { type QueryKey, skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Dispatch, type RefObject, type SetStateAction, useCallback, useId, useState } from 'react';
import { type ChatEntry, replaceWithFetched } from './chat-entries';
import { type ChatOpening, type ChatPage, openingPageInput } from './chat-page';
import { useTRPC } from './query-provider';

const EMPTY_PAGE: ChatPage = { items: [], nextCursor: null };

export interface ChatCache {
  sessionId: string | null;
  entries: ChatEntry[];
  setEntries: Dispatch<SetStateAction<ChatEntry[]>>;
  /** A first send made the chat: its messages move from the draft to the chat's own place. */
  adopt(sessionId: string): void;
  /** "New chat": back to an empty draft. */
  startOver(): void;
  /** The chat was deleted (here, in another tab, on another device): asked again, the session is gone. */
  gone: boolean;
  /**
   * Rows of the open chat fetched into the cache, merged with what it holds when they arrive (replaceWithFetched);
   * `before` is what it held. Undefined when no chat is open.
   */
  fetchInto(
    fetchRows: (sessionId: string) => Promise<ChatEntry[]>,
  ): Promise<{ sessionId: string; before: ChatEntry[]; after: ChatEntry[] } | undefined>;
  /** The last message of the path the chat shows now, asked of the server (null before the first send). */
  fetchCurrentLeaf(sessionId: string): Promise<string | null>;
}

/**
 * Where one chat's messages live: the react-query cache, under the messages.list input of the chat's opening
 * page, seeded with the page the server rendered (unless the cache holds something newer: a chat left and
 * reopened). A chat not stored yet lives under a key of the view's own until its first send makes it.
 * Nothing here fetches by itself: the chat's feed says when to (see useChatController).
 */
export function useChatCache(
  initialSessionId: string | null,
  opening: ChatOpening | null,
  /** The open chat's id as callbacks must read it (a first send changes it before React renders again). */
  sessionRef: RefObject<string | null>,
): ChatCache {
  const api = useTRPC();
  const queryClient = useQueryClient();
  const [sessionId, setSessionId] = useState(initialSessionId);
  const draftKey = useId();
  const keyOf = useCallback(
    (id: string | null): QueryKey =>
      id ? api.messages.list.queryKey(openingPageInput(id)) : ['chat-draft', draftKey],
    [api, draftKey],
  );

  useState(() => {
    if (!initialSessionId || !opening) return;
    const seed = <T>(key: QueryKey, data: T) => {
      if ((queryClient.getQueryState(key)?.dataUpdatedAt ?? 0) < opening.renderedAt)
        queryClient.setQueryData<T>(key, data, { updatedAt: opening.renderedAt });
    };
    seed<ChatPage>(keyOf(initialSessionId), opening.page);
    seed(api.sessions.get.queryKey({ id: initialSessionId }), opening.session);
  });

  const { data } = useQuery<ChatPage>({
    queryKey: keyOf(sessionId),
    queryFn: skipToken,
    initialData: sessionId ? undefined : EMPTY_PAGE,
  });
  // A deletion invalidates the session (session-list-provider), so this asks again and hears it is gone.
  const session = useQuery({
    ...api.sessions.get.queryOptions({ id: sessionId ?? '' }),
    enabled: sessionId !== null,
  });

  const setEntries = useCallback(
    (update: SetStateAction<ChatEntry[]>) =>
      void queryClient.setQueryData<ChatPage>(keyOf(sessionRef.current), (page = EMPTY_PAGE) => ({
        ...page,
        items: typeof update === 'function' ? update(page.items) : update,
      })),
    [queryClient, keyOf, sessionRef],
  );

  const adopt = useCallback(
    (id: string) => {
      queryClient.setQueryData(keyOf(id), queryClient.getQueryData(keyOf(null)));
      sessionRef.current = id;
      setSessionId(id);
    },
    [queryClient, keyOf, sessionRef],
  );

  const startOver = useCallback(() => {
    sessionRef.current = null;
    setSessionId(null);
    queryClient.setQueryData(keyOf(null), EMPTY_PAGE);
  }, [queryClient, keyOf, sessionRef]);

  const fetchInto = useCallback(
    async (fetchRows: (sessionId: string) => Promise<ChatEntry[]>) => {
      const id = sessionRef.current;
      if (!id) return undefined;
      const key = keyOf(id);
      let before: ChatEntry[] = [];
      const page = await queryClient.fetchQuery<ChatPage>({
        queryKey: key,
        staleTime: 0,
        queryFn: async () => {
          const fetched = await fetchRows(id);
          // Read when the answer is here: what arrived live meanwhile is kept.
          before = queryClient.getQueryData<ChatPage>(key)?.items ?? [];
          return { items: replaceWithFetched(before, fetched), nextCursor: null };
        },
      });
      return { sessionId: id, before, after: page.items };
    },
    [queryClient, keyOf, sessionRef],
  );

  const fetchCurrentLeaf = useCallback(
    async (id: string) =>
      (await queryClient.fetchQuery({ ...api.sessions.get.queryOptions({ id }), staleTime: 0 }))
        .currentLeafId,
    [queryClient, api],
  );

  return {
    sessionId,
    entries: data?.items ?? EMPTY_PAGE.items,
    setEntries,
    adopt,
    startOver,
    gone: session.error?.data?.code === 'NOT_FOUND',
    fetchInto,
    fetchCurrentLeaf,
  };
}
