import { RealtimeClient as SocketClient } from '@supabase/supabase-js';

export interface RealtimeTokenGrant {
  token: string;
  /** Expiry as epoch milliseconds. */
  expiresAt: number;
}

export interface RealtimeClientOptions {
  supabaseUrl: string;
  /** The public anon key: identifies the project, grants nothing by itself (no RLS policy for anon). */
  anonKey: string;
  /** Asks the app server for a fresh user token (tRPC `realtime.token`); rejects when signed out. */
  fetchToken: () => Promise<RealtimeTokenGrant>;
  /** Renew this long before expiry (default 2 minutes of the 10-minute lifetime). */
  renewBeforeMs?: number;
  onTokenError?: (error: unknown) => void;
}

export interface RealtimeClient {
  /**
   * supabase-js's Realtime client, the one `createClient(url, anonKey).realtime` would make (same endpoint,
   * `apikey` parameter and `accessToken` hook), made alone: the whole supabase client would bring its auth,
   * storage, REST and functions clients into the browser bundle (about 50 KB gzipped) for nothing.
   */
  socket: SocketClient;
  /**
   * Settles once the first user token is applied to the socket. supabase-js would send a join made before
   * then with the anon key (it does not wait for an async `accessToken`), and private channels refuse anon:
   * subscribe after this. Never rejects (a failed fetch is reported through `onTokenError`).
   */
  ready: Promise<void>;
  /** Stops renewing and closes the socket. */
  dispose(): void;
}

/** Where `createClient(supabaseUrl, …)` points its Realtime client: `<url>/realtime/v1`, over ws(s). */
function realtimeEndpoint(supabaseUrl: string): string {
  const endpoint = new URL('realtime/v1', supabaseUrl.endsWith('/') ? supabaseUrl : `${supabaseUrl}/`);
  endpoint.protocol = endpoint.protocol.replace('http', 'ws');
  return endpoint.href;
}

/**
 * A Realtime client whose identity is the signed-in user's short-lived token, given through
 * supabase-js's `accessToken` option (which it re-reads on every heartbeat and join). A timer renews the
 * token ahead of expiry and pushes it to joined channels; if renewal fails (session revoked) the old token
 * simply runs out and the server closes the channels.
 */
export function createRealtimeClient(options: RealtimeClientOptions): RealtimeClient {
  const renewBeforeMs = options.renewBeforeMs ?? 120_000;
  let current: RealtimeTokenGrant | null = null;
  let inFlight: Promise<RealtimeTokenGrant> | null = null;
  let renewTimer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;

  const fetchFresh = (): Promise<RealtimeTokenGrant> => {
    inFlight ??= options
      .fetchToken()
      .then((grant) => {
        current = grant;
        scheduleRenewal(grant);
        return grant;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  const accessToken = async (): Promise<string | null> => {
    if (current && current.expiresAt - Date.now() > renewBeforeMs) return current.token;
    try {
      return (await fetchFresh()).token;
    } catch (error) {
      options.onTokenError?.(error);
      // Keep what we have until it expires; the server ends the subscription then.
      if (current && current.expiresAt > Date.now()) return current.token;
      throw error;
    }
  };

  const socket = new SocketClient(realtimeEndpoint(options.supabaseUrl), {
    params: { apikey: options.anonKey },
    accessToken,
  });

  function scheduleRenewal(grant: RealtimeTokenGrant): void {
    if (renewTimer) clearTimeout(renewTimer);
    if (disposed) return;
    const delay = Math.max(1_000, grant.expiresAt - Date.now() - renewBeforeMs);
    renewTimer = setTimeout(() => {
      fetchFresh()
        .then(() => socket.setAuth())
        .catch((error: unknown) => options.onTokenError?.(error));
    }, delay);
  }

  const ready = socket.setAuth().catch((error: unknown) => options.onTokenError?.(error));

  return {
    socket,
    ready,
    dispose() {
      disposed = true;
      if (renewTimer) clearTimeout(renewTimer);
      void socket.removeAllChannels();
      socket.disconnect();
    },
  };
}
