import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { devicePresenceMeta, onlineDevices } from '@/client/use-presence-state';
import { ONLINE_TOPIC, ownDevicesTopic } from '@/shared/realtime-topics';
import { createUser } from '../helpers/app-rows';
import { EventInbox } from '../realtime/support/event-inbox';
import {
  clientFor,
  refused,
  serviceDatabase,
  subscribed,
  supabaseClient,
  userToken,
} from '../realtime/support/realtime-fixture';

// Presence topics (migration 0022): presence:user:<id> is its user's alone; presence:online takes every
// user's track and shows it to admins only.

const db = serviceDatabase();

async function createAdmin(): Promise<string> {
  const id = await createUser(db);
  await db.query(`update better_auth."user" set role = 'user,admin' where id = $1`, [id]);
  return id;
}

/** A joined presence channel and every presence state it has synced to (as keys). */
async function joinPresence(client: SupabaseClient, topic: string, key: string) {
  const syncs = new EventInbox<string[]>();
  const channel: RealtimeChannel = client.channel(topic, { config: { private: true, presence: { key } } });
  channel.on('presence', { event: 'sync' }, () => syncs.push(Object.keys(channel.presenceState()).sort()));
  await subscribed(channel);
  return { channel, syncs };
}

const including =
  (...keys: string[]) =>
  (state: string[]) =>
    keys.every((key) => state.includes(key));

describe('presence topics (realtime.messages policies)', () => {
  it("shows a user's devices to each other, with what each tracked", async () => {
    const alice = await createUser(db);
    const phone = await joinPresence(
      await clientFor(await userToken(alice)),
      ownDevicesTopic(alice),
      'device-phone',
    );
    const laptop = await joinPresence(
      await clientFor(await userToken(alice)),
      ownDevicesTopic(alice),
      'device-laptop',
    );

    expect(await phone.channel.track(devicePresenceMeta('Safari on iOS', 'chat-1'))).toBe('ok');
    expect(await laptop.channel.track(devicePresenceMeta('Firefox on Linux', null))).toBe('ok');

    await laptop.syncs.next(including('device-phone', 'device-laptop'));
    const seen = onlineDevices(laptop.channel.presenceState());
    expect(seen.find((device) => device.id === 'device-phone')).toEqual({
      id: 'device-phone',
      device: 'Safari on iOS',
      chats: ['chat-1'],
    });
  });

  it("refuses another user, and anyone without a user token, a join of a user's devices topic", async () => {
    const alice = await createUser(db);
    const bob = await createUser(db);
    const asBob = await clientFor(await userToken(bob));
    const bobTries = await refused(asBob.channel(ownDevicesTopic(alice), { config: { private: true } }));
    expect(bobTries.status).toBe('CHANNEL_ERROR');
    expect(bobTries.message).toMatch(/permission|Unauthorized/i);

    const anonymous = supabaseClient();
    const anonymousTries = await refused(
      anonymous.channel(ownDevicesTopic(alice), { config: { private: true } }),
    );
    expect(anonymousTries.status).toBe('CHANNEL_ERROR');
  });

  it('lets every user track on the online topic but shows it to admins only', async () => {
    const admin = await createAdmin();
    const alice = await createUser(db);
    const bob = await createUser(db);
    const asAdmin = await joinPresence(await clientFor(await userToken(admin)), ONLINE_TOPIC, admin);
    const bobClient = await clientFor(await userToken(bob));
    const asBob = await joinPresence(bobClient, ONLINE_TOPIC, bob);
    const asAlice = await joinPresence(await clientFor(await userToken(alice)), ONLINE_TOPIC, alice);

    expect(await asBob.channel.track({})).toBe('ok');
    expect(await asAlice.channel.track({})).toBe('ok');
    await asAdmin.syncs.next(including(alice, bob));

    // Sentinel: once Bob's own devices topic has synced his track, the online diffs sent to his socket before
    // it (Alice's, which the admin already has) would have arrived.
    const bobDevices = await joinPresence(bobClient, ownDevicesTopic(bob), 'bob-device');
    expect(await bobDevices.channel.track(devicePresenceMeta('Chrome on Linux', null))).toBe('ok');
    await bobDevices.syncs.next(including('bob-device'));
    expect(asBob.channel.presenceState()).toEqual({});
    expect(asBob.syncs.count(including(alice))).toBe(0);
  });

  it('stops showing a user once their last connection is gone', async () => {
    const admin = await createAdmin();
    const alice = await createUser(db);
    const asAdmin = await joinPresence(await clientFor(await userToken(admin)), ONLINE_TOPIC, admin);
    const aliceClient = await clientFor(await userToken(alice));
    const asAlice = await joinPresence(aliceClient, ONLINE_TOPIC, alice);
    await asAlice.channel.track({});
    await asAdmin.syncs.next(including(alice));

    aliceClient.realtime.disconnect();
    await asAdmin.syncs.next((state) => !state.includes(alice));
  });
});
