'use client';

import { useSessions } from '@/client/sessions-store';

export function SessionSearch() {
  const { search, setSearch } = useSessions();
  return (
    <input
      type="search"
      className="session-search"
      placeholder="Search chats"
      aria-label="Search chats by title"
      value={search}
      onChange={(event) => setSearch(event.target.value)}
      data-testid="sidebar-search"
    />
  );
}
