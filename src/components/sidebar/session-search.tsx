'use client';

import { useSessionSearch } from '@/client/session-list-provider';

export function SessionSearch() {
  const { search, setSearch } = useSessionSearch();
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
