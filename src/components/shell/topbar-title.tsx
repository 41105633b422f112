'use client';

import { useQuery } from '@tanstack/react-query';
import { usePathname } from 'next/navigation';
import { useEffect } from 'react';
import { useTRPC } from '@/client/query-provider';

/** The open chat's title (live: a rename or a generated title shows at once), else the app's name. */
export function TopbarTitle() {
  const pathname = usePathname();
  const api = useTRPC();
  const id = /^\/c\/([^/]+)$/.exec(pathname)?.[1];
  // The open chat keeps its session in the cache (and the sidebar feed keeps it current): read, never fetched here.
  const { data: session } = useQuery({ ...api.sessions.get.queryOptions({ id: id ?? '' }), enabled: false });
  const title = id ? session?.title : undefined;
  // The tab says which chat it holds, and follows renames and generated titles.
  useEffect(() => {
    if (title) document.title = `${title} · ChatTwelve`;
    else if (pathname === '/') document.title = 'ChatTwelve';
  }, [title, pathname]);
  return (
    <span className="topbar-title" data-testid="chat-title">
      {title ?? (pathname === '/settings' ? 'Settings' : 'ChatTwelve')}
    </span>
  );
}
