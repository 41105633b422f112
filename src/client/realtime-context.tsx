'use client';

import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import type { PublicConfig } from './public-config';
import { createRealtimeClient, type RealtimeClient } from './realtime-client';
import { trpc } from './trpc-client';

const RealtimeContext = createContext<RealtimeClient | null>(null);

/** One supabase-js Realtime client per tab, carrying the signed-in user's short-lived realtime token. */
export function RealtimeProvider({ config, children }: { config: PublicConfig; children: ReactNode }) {
  const [client, setClient] = useState<RealtimeClient | null>(null);
  useEffect(() => {
    const created = createRealtimeClient({
      supabaseUrl: config.supabaseUrl,
      anonKey: config.anonKey,
      fetchToken: () => trpc.realtime.token.query(),
      onTokenError: (error) => console.warn('Realtime token fetch failed', error),
    });
    let disposed = false;
    // Handed out only once channels would join with the user's token (see RealtimeClient.ready).
    void created.ready.then(() => {
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
