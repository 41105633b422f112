import { describe, expect, it } from 'vitest';
import { parseJoinConfig } from '@/realtime/channels/join-config';
import { type ChannelTransport, RealtimeChannel } from '@/realtime/channels/realtime-channel';
import type { RealtimeServices } from '@/realtime/channels/realtime-services';
import { RoomRegistry, roomKey } from '@/realtime/channels/room-registry';
import { storedBroadcastDelivery } from '@/realtime/database-broadcast/database-broadcasts';
import { DEFAULT_LIMITS } from '@/realtime/realtime-limits';
import { PresenceBudget } from '@/realtime/socket/presence-budget';

// A broadcast committed while a channel joins with replay can reach it twice: live (the channel is in its
// room before the stored messages are read) and replayed. Which one arrives first is a race a socket test
// cannot pin down, so the channel is driven directly: each message must reach the client once, replayed
// messages first, whatever the order.

const TOPIC = 'rtdb:dedupe';

function stored(id: string) {
  return {
    id,
    topic: TOPIC,
    event: 'ev',
    isPrivate: true,
    encoding: 1 as const,
    bytes: Buffer.from(JSON.stringify({ id })),
  };
}

function joinedChannel() {
  const sent: string[] = [];
  const rooms = new RoomRegistry();
  const transport: ChannelTransport = {
    version: '1.0.0',
    presenceBudget: new PresenceBudget(1024),
    send: (frame) => sent.push(frame.toString()),
    channelClosed: () => {},
  };
  const services = {
    rooms,
    limits: DEFAULT_LIMITS,
    log: () => {},
    replicationReady: () => true,
    postgresChanges: { unsubscribe: () => {} },
  } as unknown as RealtimeServices;
  const config = parseJoinConfig(
    { config: { private: true } },
    { maxKeyBytes: 1024, maxPostgresChangesPerJoin: 1 },
  );
  const key = roomKey(true, 'dedupe');
  const channel = new RealtimeChannel(
    services,
    transport,
    `realtime:${TOPIC}`,
    TOPIC,
    '1',
    config,
    key,
    [],
    'token',
    { role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 3600 },
    { broadcast: true, presence: false },
  );
  rooms.join(key, channel);
  const live = (id: string) => rooms.broadcast(key, storedBroadcastDelivery(stored(id)));
  const received = () =>
    sent.map((frame) => {
      const { payload } = JSON.parse(frame) as {
        payload: { payload: { id: string }; meta: { replayed?: true } };
      };
      return `${payload.payload.id}${payload.meta.replayed ? ' (replayed)' : ''}`;
    });
  return { channel, live, received };
}

describe('replay and live copies of one message', () => {
  it('drops a live copy that arrived before the replay, and one that arrives after it', () => {
    const { channel, live, received } = joinedChannel();
    live('a');
    live('c');
    channel.holdReplay([
      storedBroadcastDelivery(stored('a'), true),
      storedBroadcastDelivery(stored('b'), true),
    ]);
    live('b');
    channel.activate(null);
    live('a');
    live('d');
    channel.dispose();
    expect(received()).toEqual(['a (replayed)', 'b (replayed)', 'c', 'd']);
  });
});
