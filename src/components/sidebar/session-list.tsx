'use client';

import { usePathname } from 'next/navigation';
import { useEffect, useMemo, useRef } from 'react';
import { groupSessions } from '@/client/session-groups';
import { useSessionList } from '@/client/session-list-provider';
import { MessageSearchResults } from './message-search-results';
import { SessionItem } from './session-item';

/** The grouped list; scrolling near its end loads the next keyset page. */
export function SessionList({ onNavigate }: { onNavigate?: () => void }) {
  const { sessions, hasMore, loading, loadedOnce, loadMore, error, search } = useSessionList();
  const pathname = usePathname();
  const groups = useMemo(() => groupSessions(sessions), [sessions]);
  const sentinel = useRef<HTMLDivElement>(null);

  // Observed afresh after every load: a sentinel still in view after a page arrived asks for the next one.
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !hasMore || loading) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) void loadMore();
      },
      { rootMargin: '200px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasMore, loadMore, loading]);

  return (
    <div className="session-list">
      {groups.map((group) => (
        <section key={group.name} aria-label={group.name}>
          <h2 className="group-heading">{group.name}</h2>
          <ul>
            {group.sessions.map((session) => (
              <SessionItem
                key={session.id}
                session={session}
                active={pathname === `/c/${session.id}`}
                onNavigate={onNavigate}
              />
            ))}
          </ul>
        </section>
      ))}
      {!loadedOnce && sessions.length === 0 && (
        // Rows in outline while the first page loads, so the sidebar is never blank.
        <ul className="session-skeleton" aria-hidden="true" data-testid="sessions-loading">
          {[70, 55, 80, 60].map((width) => (
            <li key={width} style={{ width: `${width}%` }} />
          ))}
        </ul>
      )}
      {loadedOnce && !loading && sessions.length === 0 && (
        <p className="muted small empty">{search ? 'No chats match your search.' : 'No chats yet.'}</p>
      )}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      {hasMore && (
        <div ref={sentinel} className="load-more">
          <button
            type="button"
            className="secondary small"
            onClick={() => void loadMore()}
            disabled={loading}
          >
            {loading ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
      <MessageSearchResults onNavigate={onNavigate} />
    </div>
  );
}
