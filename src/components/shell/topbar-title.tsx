'use client';

import { usePathname } from 'next/navigation';
import { useEffect } from 'react';
import { useCachedSessionTitle } from '@/client/session-list-provider';

/** The open chat's title (live: a rename or a generated title shows at once), else the app's name. */
export function TopbarTitle() {
  const pathname = usePathname();
  const id = /^\/c\/([^/]+)$/.exec(pathname)?.[1];
  const title = useCachedSessionTitle(id ?? null);
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
