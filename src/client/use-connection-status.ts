'use client';

import { useEffect, useState } from 'react';
import { useRealtimeClient } from './realtime-context';

export type ConnectionStatus = 'connected' | 'connecting' | 'offline';

/**
 * What the user needs to know about the link: offline (the browser says so), connecting (socket not open
 * yet, or reconnecting after a drop) or connected. The socket state is sampled, because supabase-js has no
 * single "state changed" event that covers every path (heartbeat timeout, server close, token expiry).
 */
export function useConnectionStatus(): ConnectionStatus {
  const client = useRealtimeClient();
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  useEffect(() => {
    const sample = () => {
      if (!navigator.onLine) setStatus('offline');
      else if (client?.socket.isConnected()) setStatus('connected');
      else setStatus('connecting');
    };
    sample();
    const timer = setInterval(sample, 500);
    window.addEventListener('online', sample);
    window.addEventListener('offline', sample);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', sample);
      window.removeEventListener('offline', sample);
    };
  }, [client]);
  return status;
}
