'use client';

import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import type { PublicConfig } from './public-config';
import type { RealtimeClient } from './realtime-client';
import { trpc } from './trpc-client';

/**
 * supabase-js's Realtime client (18 KB gzipped) is not needed to make the page interactive, only right after:
 * a chunk of its own, asked for as soon as this module runs in the browser, so it loads beside hydration
 * instead of before it.
 */
const realtimeModule =
  typeof window === 'undefined' ? undefined : import('./realtime-client').catch(() => undefined);

const RealtimeContext = createContext<RealtimeClient | null>(null);

/** One supabase-js Realtime client per tab, carrying the signed-in user's short-lived realtime token. */
export function RealtimeProvider({ config, children }: { config: PublicConfig; children: ReactNode }) {
  const [client, setClient] = useState<RealtimeClient | null>(null);
  useEffect(() => {
    let disposed = false;
    let created: RealtimeClient | undefined;
    // A failed early load (offline, a new deploy) is tried once more here; the tab then stays offline.
    void Promise.resolve(realtimeModule)
      .then((early) => early ?? import('./realtime-client'))
      .then((loaded) => {
        if (disposed) return;
        created = loaded.createRealtimeClient({
          supabaseUrl: config.supabaseUrl,
          anonKey: config.anonKey,
          fetchToken: () => trpc.realtime.token.query(),
          onTokenError: (error) => console.warn('Realtime token fetch failed', error),
        });
        const made = created;
        // Handed out only once channels would join with the user's token (see RealtimeClient.ready).
        void made.ready.then(() => {
          if (!disposed) setClient(made);
        });
      })
      .catch((error: unknown) => console.warn('Realtime client failed to load', error));
    return () => {
      disposed = true;
      created?.dispose();
    };
  }, [config.supabaseUrl, config.anonKey]);
  return <RealtimeContext.Provider value={client}>{children}</RealtimeContext.Provider>;
}

/** The tab's realtime client; null until it is created after hydration. */
export function useRealtimeClient(): RealtimeClient | null {
  return useContext(RealtimeContext);
}
