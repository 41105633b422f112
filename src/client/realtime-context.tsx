'use client';

import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import type { PublicConfig } from './public-config';
import { createRealtimeClient, type RealtimeClient } from './realtime-client';
import { trpc } from './trpc-client';

const RealtimeContext = createContext<RealtimeClient | null>(null);

/** One supabase-js client per tab, carrying the signed-in user's short-lived realtime token. */
export function RealtimeProvider({ config, children }: { config: PublicConfig; children: ReactNode }) {
  const [client, setClient] = useState<RealtimeClient | null>(null);
  useEffect(() => {
    const created = createRealtimeClient({
      supabaseUrl: config.supabaseUrl,
      anonKey: config.anonKey,
      fetchToken: () => trpc.realtime.token.query(),
      onTokenError: (error) => console.warn('Realtime token renewal failed', error),
    });
    let disposed = false;
    // Channels must join with the user's token, not the anon key: a private channel refuses the anon role,
    // and a page that subscribes as it loads would otherwise race the first token fetch.
    created.supabase.realtime
      .setAuth()
      .catch((error: unknown) => console.warn('Realtime token fetch failed', error))
      .finally(() => {
        if (!disposed) setClient(created);
      });
    return () => {
      disposed = true;
      created.dispose();
    };
  }, [config.supabaseUrl, config.anonKey]);
  return <RealtimeContext.Provider value={client}>{children}</RealtimeContext.Provider>;
}

/** The tab's realtime client; null until it is created after hydration. */
export function useRealtimeClient(): RealtimeClient | null {
  return useContext(RealtimeContext);
}
