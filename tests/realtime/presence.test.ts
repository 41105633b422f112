import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, privateTopic } from './support/database-broadcast-fixture';
import { EventInbox } from './support/event-inbox';
import {
  clientFor,
  dropConnection,
  newUser,
  serviceDatabase,
  subscribed,
  userToken,
} from './support/realtime-fixture';

const db = serviceDatabase();
let alice: string;
let bob: string;

beforeAll(async () => {
  await createTestSchema(db);
  alice = newUser();
  bob = newUser();
});

interface PresenceEvent {
  kind: 'sync' | 'join' | 'leave';
  key?: string;
}

function presenceChannel(
  client: SupabaseClient,
  room: string,
  key: string,
  options: { private?: boolean } = {},
) {
  const events = new EventInbox<PresenceEvent>();
  const channel = client
    .channel(room, { config: { private: options.private ?? false, presence: { key } } })
    .on('presence', { event: 'sync' }, () => events.push({ kind: 'sync' }))
    .on('presence', { event: 'join' }, ({ key: joined }) => events.push({ kind: 'join', key: joined }))
    .on('presence', { event: 'leave' }, ({ key: left }) => events.push({ kind: 'leave', key: left }));
  return { channel, events };
}

function presentKeys(channel: RealtimeChannel): string[] {
  return Object.keys(channel.presenceState()).sort();
}

describe('presence', () => {
  it.each(['2.0.0', '1.0.0'] as const)(
    'shows each client the other joining and leaving (vsn %s)',
    async (vsn) => {
      const a = presenceChannel(await clientFor(await userToken(alice), vsn), `lobby-1-${vsn}`, 'alice');
      const b = presenceChannel(await clientFor(await userToken(bob), '2.0.0'), `lobby-1-${vsn}`, 'bob');
      await subscribed(a.channel);
      await subscribed(b.channel);

      expect(await a.channel.track({ status: 'reading' })).toBe('ok');
      await b.events.next((event) => event.kind === 'join' && event.key === 'alice');
      expect(b.channel.presenceState<{ status: string }>().alice?.[0]).toMatchObject({ status: 'reading' });

      expect(await b.channel.track({ status: 'typing' })).toBe('ok');
      await a.events.next((event) => event.kind === 'join' && event.key === 'bob');
      expect(presentKeys(a.channel)).toEqual(['alice', 'bob']);

      await b.channel.unsubscribe();
      await a.events.next((event) => event.kind === 'leave' && event.key === 'bob');
      expect(presentKeys(a.channel)).toEqual(['alice']);
    },
  );

  it('announces an update and an untrack', async () => {
    const a = presenceChannel(await clientFor(await userToken(alice)), 'lobby-2', 'alice');
    const b = presenceChannel(await clientFor(await userToken(bob)), 'lobby-2', 'bob');
    await subscribed(a.channel);
    await subscribed(b.channel);
    await a.channel.track({ status: 'one' });
    await b.events.next((event) => event.kind === 'join' && event.key === 'alice');
    await a.channel.track({ status: 'two' });
    await b.events.next(() => b.channel.presenceState<{ status: string }>().alice?.[0]?.status === 'two');
    expect(b.channel.presenceState<{ status: string }>().alice).toHaveLength(1);
    expect(await a.channel.untrack()).toBe('ok');
    // Phoenix drops an emptied key after the leave callback; the following sync shows the result.
    await b.events.next((event) => event.kind === 'sync' && presentKeys(b.channel).length === 0);
    expect(presentKeys(b.channel)).toEqual([]);
  });

  it('gives a reconnecting client the state as it is now', async () => {
    const a = presenceChannel(await clientFor(await userToken(alice)), 'lobby-3', 'alice');
    await subscribed(a.channel);
    await a.channel.track({ status: 'here' });

    const bobClient = await clientFor(await userToken(bob));
    const b = presenceChannel(bobClient, 'lobby-3', 'bob');
    await subscribed(b.channel);
    await b.events.next(() => b.channel.presenceState<{ status: string }>().alice?.[0]?.status === 'here');

    dropConnection(bobClient);
    // While Bob is away Alice's state changes; he learns it from the presence_state of his rejoin.
    await a.channel.track({ status: 'moved' });
    await b.events.next(() => b.channel.presenceState<{ status: string }>().alice?.[0]?.status === 'moved');
    expect(b.channel.presenceState<{ status: string }>().alice).toHaveLength(1);
  });

  it('lets the owner track on its own private channel', async () => {
    // a topic only Bob may read and write (test-owned policies on realtime.messages)
    const bobsTopic = await privateTopic(db, [bob]);
    const own = presenceChannel(await clientFor(await userToken(bob)), bobsTopic, 'bob', {
      private: true,
    });
    await subscribed(own.channel);
    expect(await own.channel.track({ tab: 1 })).toBe('ok');
    await own.events.next((event) => event.kind === 'join' && event.key === 'bob');
  });
});
