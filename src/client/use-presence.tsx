'use client';

import type { RealtimeChannel } from '@supabase/supabase-js';
import { usePathname } from 'next/navigation';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { ONLINE_TOPIC, ownDevicesTopic } from '@/shared/realtime-topics';
import { useRealtimeClient } from './realtime-context';
import { trpc } from './trpc-client';
import {
  chatIdOfPath,
  deviceLabel,
  devicePresenceMeta,
  type OnlineDevice,
  onlineDevices,
} from './use-presence-state';

interface PresenceValue {
  /** The chat this tab shows (from its URL, which a new chat's first send changes in place). */
  chatId: string | null;
  /** This device (its BetterAuth session id), once known. */
  deviceId: string | null;
  /** The user's devices with the app open, this one included. */
  devices: OnlineDevice[];
  /** Users online now; filled only for admins (the topic's policies show it to nobody else). */
  onlineUserIds: ReadonlySet<string>;
}

const NO_ONE: ReadonlySet<string> = new Set();
const PresenceContext = createContext<PresenceValue>({
  chatId: null,
  deviceId: null,
  devices: [],
  onlineUserIds: NO_ONE,
});

/**
 * Tracks this tab on the user's devices topic (which device, which chat) and on the online topic, and
 * shares what they show with the pages below it.
 */
export function PresenceProvider({ userId, children }: { userId: string; children: ReactNode }) {
  const client = useRealtimeClient();
  const chatId = chatIdOfPath(usePathname());
  const [self, setSelf] = useState<{ id: string; device: string } | null>(null);
  const [devices, setDevices] = useState<OnlineDevice[]>([]);
  const [onlineUserIds, setOnlineUserIds] = useState<ReadonlySet<string>>(NO_ONE);
  const chatRef = useRef(chatId);
  const devicesChannel = useRef<RealtimeChannel | null>(null);

  useEffect(() => {
    let current = true;
    trpc.devices.list
      .query()
      .then((list) => {
        const here = list.find((device) => device.current);
        if (current && here) setSelf({ id: here.id, device: deviceLabel(here.browser, here.os) });
      })
      .catch((error: unknown) => console.warn('Presence: could not identify this device', error));
    return () => {
      current = false;
    };
  }, []);

  useEffect(() => {
    if (!client || !self) return;
    const channel = client.socket.channel(ownDevicesTopic(userId), {
      config: { private: true, presence: { key: self.id } },
    });
    channel.on('presence', { event: 'sync' }, () => setDevices(onlineDevices(channel.presenceState())));
    // Called again after every rejoin, which starts without this tab's presence.
    channel.subscribe((status) => {
      if (status !== 'SUBSCRIBED') return;
      devicesChannel.current = channel;
      void channel.track(devicePresenceMeta(self.device, chatRef.current));
    });
    return () => {
      devicesChannel.current = null;
      setDevices([]);
      void client.socket.removeChannel(channel);
    };
  }, [client, self, userId]);

  useEffect(() => {
    chatRef.current = chatId;
    if (self) void devicesChannel.current?.track(devicePresenceMeta(self.device, chatId));
  }, [chatId, self]);

  useEffect(() => {
    if (!client) return;
    const channel = client.socket.channel(ONLINE_TOPIC, {
      config: { private: true, presence: { key: userId } },
    });
    channel.on('presence', { event: 'sync' }, () =>
      setOnlineUserIds(new Set(Object.keys(channel.presenceState()))),
    );
    channel.subscribe((status) => {
      if (status === 'SUBSCRIBED') void channel.track({});
    });
    return () => {
      setOnlineUserIds(NO_ONE);
      void client.socket.removeChannel(channel);
    };
  }, [client, userId]);

  const value = useMemo(
    () => ({ chatId, deviceId: self?.id ?? null, devices, onlineUserIds }),
    [chatId, self, devices, onlineUserIds],
  );
  return <PresenceContext value={value}>{children}</PresenceContext>;
}

/** The user's devices with the app open now (this one included, when known). */
export function useOnlineDevices(): { deviceId: string | null; devices: OnlineDevice[] } {
  const { deviceId, devices } = useContext(PresenceContext);
  return { deviceId, devices };
}

/** The user's OTHER devices that have this tab's chat open now. */
export function useOtherDevicesOnThisChat(): OnlineDevice[] {
  const { chatId, deviceId, devices } = useContext(PresenceContext);
  return useMemo(
    () => (chatId ? devices.filter((device) => device.id !== deviceId && device.chats.includes(chatId)) : []),
    [chatId, deviceId, devices],
  );
}

/** Users online now, for the admin console (empty for anyone else). */
export function useOnlineUsers(): ReadonlySet<string> {
  return useContext(PresenceContext).onlineUserIds;
}
