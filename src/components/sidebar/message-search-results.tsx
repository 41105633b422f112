'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '@/client/error-message';
import { messageAnchorId, REVEAL_MESSAGE_EVENT } from '@/client/message-anchor';
import { useSessionSearch } from '@/client/session-list-provider';
import { trpc } from '@/client/trpc-client';
import { HighlightedText } from './highlighted-text';

type SearchPage = Awaited<ReturnType<typeof trpc.search.chats.query>>;
type Hit = SearchPage['items'][number];

/** Typing pauses this long before the server is asked; every keystroke would be a full-text query. */
const DEBOUNCE_MS = 250;
/**
 * Under the sidebar's title matches: chats whose messages (or titles) contain the words typed, each with the
 * newest matching excerpt; choosing one opens the chat at that message.
 */
export function MessageSearchResults({ onNavigate }: { onNavigate?: () => void }) {
  const { search } = useSessionSearch();
  const router = useRouter();
  const query = search.trim();
  const [hits, setHits] = useState<Hit[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Answers to an older query are dropped when they arrive late.
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    setHits([]);
    setCursor(null);
    setError(null);
    if (query.length < 2) return;
    const timer = setTimeout(() => {
      setLoading(true);
      trpc.search.chats
        .query({ query })
        .then((page) => {
          if (mine !== generation.current) return;
          setHits(page.items);
          setCursor(page.nextCursor);
        })
        .catch((cause: unknown) => {
          if (mine === generation.current) setError(errorMessage(cause, 'Search failed'));
        })
        .finally(() => {
          if (mine === generation.current) setLoading(false);
        });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query]);

  async function loadMore() {
    if (!cursor) return;
    const mine = generation.current;
    setLoading(true);
    try {
      const page = await trpc.search.chats.query({ query, cursor });
      if (mine !== generation.current) return;
      setHits((shown) => [...shown, ...page.items]);
      setCursor(page.nextCursor);
    } catch (cause) {
      if (mine === generation.current) setError(errorMessage(cause, 'Search failed'));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }

  if (query.length < 2) return null;
  return (
    <section className="message-search" aria-label="Found in messages" data-testid="message-search-results">
      <h2 className="group-heading">In messages</h2>
      {hits.length > 0 && (
        <ul>
          {hits.map((hit) => (
            <li key={hit.sessionId} className="session" data-testid="message-search-hit">
              <Link
                href={`/c/${hit.sessionId}${hit.message ? `#${messageAnchorId(hit.message.id)}` : ''}`}
                className="session-link"
                onClick={(event) => {
                  onNavigate?.();
                  if (!hit.message) return;
                  // The chat's messages arrive after navigation; the browser's own jump to #id would miss them.
                  // The chat's message list shows it: another chat opens reading the #id, the open one (no
                  // route change, nothing remounts) is told.
                  event.preventDefault();
                  const path = `/c/${hit.sessionId}`;
                  const sameChat = window.location.pathname === path;
                  router.push(`${path}#${messageAnchorId(hit.message.id)}`, { scroll: false });
                  if (sameChat)
                    window.dispatchEvent(new CustomEvent(REVEAL_MESSAGE_EVENT, { detail: hit.message.id }));
                }}
              >
                <span className="session-title">
                  <HighlightedText value={hit.title} />
                </span>
                {hit.message && (
                  <span className="muted small search-snippet" data-testid="message-search-snippet">
                    <HighlightedText value={hit.message.snippet} />
                  </span>
                )}
              </Link>
            </li>
          ))}
        </ul>
      )}
      {!loading && !error && hits.length === 0 && <p className="muted small empty">No messages match.</p>}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      {(loading || cursor) && (
        <div className="load-more">
          <button
            type="button"
            className="secondary small"
            onClick={() => void loadMore()}
            disabled={loading}
          >
            {loading ? 'Searching…' : 'More results'}
          </button>
        </div>
      )}
    </section>
  );
}
