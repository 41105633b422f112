'use client';

import { type ReactNode, useCallback, useEffect, useState } from 'react';
import type { ModelList } from '@/client/api-types';
import { ModelListContext } from '@/client/model-list-context';
import type { PublicConfig } from '@/client/public-config';
import { QueryProvider } from '@/client/query-provider';
import { RealtimeProvider } from '@/client/realtime-context';
import { SessionListProvider } from '@/client/session-list-provider';
import type { SessionPage } from '@/client/session-page';
import { PresenceProvider } from '@/client/use-presence';
import { Sidebar } from '../sidebar/sidebar';
import { Icon } from '../ui/icons';
import { useKeyboardShortcuts } from './keyboard-shortcuts';
import { TopbarTitle } from './topbar-title';

interface AppShellProps {
  config: PublicConfig;
  user: { id: string; email: string; avatarUrl: string | null };
  initialSessions: SessionPage;
  models: ModelList;
  children: ReactNode;
}

const narrowQuery = '(max-width: 767px)';

/**
 * Signed-in layout: the sidebar beside the page on wide screens, a drawer over it on narrow ones.
 * One query cache, one realtime client and one sessions list serve every page under it.
 */
export function AppShell({ config, user, initialSessions, models, children }: AppShellProps) {
  // Wide screens start with the sidebar shown, narrow ones with the drawer closed. Until the script runs
  // (null) the stylesheet decides by the screen's width, so a phone never paints the drawer open.
  const [sidebarOpen, setSidebarOpen] = useState<boolean | null>(null);
  const [narrow, setNarrow] = useState(false);
  useEffect(() => {
    const query = window.matchMedia(narrowQuery);
    const update = () => {
      setNarrow(query.matches);
      setSidebarOpen(!query.matches);
    };
    update();
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  const toggleSidebar = useCallback(() => setSidebarOpen((open) => !(open ?? true)), []);
  const closeDrawer = useCallback(() => {
    if (narrow) setSidebarOpen(false);
  }, [narrow]);
  useKeyboardShortcuts(toggleSidebar);

  useEffect(() => {
    if (!narrow || !sidebarOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.shiftKey) setSidebarOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [narrow, sidebarOpen]);

  return (
    <QueryProvider>
      <RealtimeProvider config={config}>
        <PresenceProvider userId={user.id}>
          <SessionListProvider userId={user.id} initialPage={initialSessions}>
            <ModelListContext value={models}>
              <div
                className={
                  sidebarOpen === null
                    ? 'shell sidebar-default'
                    : sidebarOpen
                      ? 'shell sidebar-shown'
                      : 'shell sidebar-hidden'
                }
              >
                <Sidebar
                  email={user.email}
                  avatarUrl={user.avatarUrl}
                  open={sidebarOpen === true}
                  onNavigate={closeDrawer}
                />
                {narrow && sidebarOpen && (
                  <button
                    type="button"
                    className="scrim"
                    aria-label="Close sidebar"
                    onClick={() => setSidebarOpen(false)}
                  />
                )}
                <div className="page">
                  <header className="topbar">
                    <button
                      type="button"
                      className="icon"
                      aria-label={sidebarOpen === false ? 'Show sidebar' : 'Hide sidebar'}
                      aria-expanded={sidebarOpen !== false}
                      aria-controls="sidebar"
                      data-testid="toggle-sidebar"
                      onClick={toggleSidebar}
                    >
                      <Icon name="menu" />
                    </button>
                    <TopbarTitle />
                  </header>
                  {children}
                </div>
              </div>
            </ModelListContext>
          </SessionListProvider>
        </PresenceProvider>
      </RealtimeProvider>
    </QueryProvider>
  );
}
