import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, privateTopic } from './support/database-broadcast-fixture';
import { EventInbox } from './support/event-inbox';
import {
  ANON_KEY,
  clientFor,
  newUser,
  realtimeUrl,
  refused,
  SERVICE_ROLE_KEY,
  serviceDatabase,
  subscribed,
  supabaseClient,
  userToken,
} from './support/realtime-fixture';

interface Broadcast {
  type: string;
  event: string;
  payload: unknown;
}

const db = serviceDatabase();
let alice: string;
let bob: string;
/** A private topic only Bob may read and send on (test-owned policies on realtime.messages). */
let bobsTopic: string;

beforeAll(async () => {
  await createTestSchema(db);
  alice = newUser();
  bob = newUser();
  bobsTopic = await privateTopic(db, [bob]);
});

async function listen(
  client: SupabaseClient,
  name: string,
  config: { private?: boolean; self?: boolean; ack?: boolean } = {},
) {
  const inbox = new EventInbox<Broadcast>();
  const channel = client
    .channel(name, {
      config: {
        private: config.private ?? false,
        broadcast: { self: config.self ?? false, ack: config.ack ?? false },
      },
    })
    .on('broadcast', { event: '*' }, inbox.push);
  await subscribed(channel);
  return { channel, inbox };
}

describe('public broadcast', () => {
  const pairs = [
    ['2.0.0', '2.0.0'],
    ['1.0.0', '2.0.0'],
    ['2.0.0', '1.0.0'],
    ['1.0.0', '1.0.0'],
  ] as const;

  it.each(pairs)(
    'a vsn %s sender reaches a vsn %s receiver, and not itself by default',
    async (senderVsn, receiverVsn) => {
      const room = `room-${senderVsn}-${receiverVsn}`;
      const receiver = await listen(await clientFor(await userToken(bob), receiverVsn), room);
      const sender = await listen(await clientFor(await userToken(alice), senderVsn), room, { ack: true });

      expect(
        await sender.channel.send({ type: 'broadcast', event: 'cursor', payload: { x: 1, text: 'hé' } }),
      ).toBe('ok');
      expect(await receiver.inbox.next()).toEqual({
        type: 'broadcast',
        event: 'cursor',
        payload: { x: 1, text: 'hé' },
      });
      // ack came back after the fan-out, so a self-delivery would already be there
      expect(sender.inbox.events).toEqual([]);
    },
  );

  it('delivers to the sender itself with self: true', async () => {
    const sender = await listen(await clientFor(await userToken(alice)), 'self-room', { self: true });
    await sender.channel.send({ type: 'broadcast', event: 'echo', payload: { n: 1 } });
    expect(await sender.inbox.next()).toMatchObject({ event: 'echo', payload: { n: 1 } });
  });

  it('relays a binary payload from vsn 2 to vsn 2 unchanged', async () => {
    const receiverClient = await clientFor(await userToken(bob));
    const inbox = new EventInbox<{ payload: unknown }>();
    const receiverChannel = receiverClient
      .channel('binary-room')
      .on('broadcast', { event: 'bytes' }, inbox.push);
    await subscribed(receiverChannel);
    const sender = await listen(await clientFor(await userToken(alice)), 'binary-room');
    await sender.channel.send({
      type: 'broadcast',
      event: 'bytes',
      payload: new Uint8Array([1, 2, 3, 250]).buffer,
    });
    const received = await inbox.next();
    expect(new Uint8Array(received.payload as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3, 250]));
  });

  it('delivers REST batch and httpSend messages to subscribers', async () => {
    const receiver = await listen(await clientFor(await userToken(bob)), 'rest-room');
    const service = supabaseClient({ key: SERVICE_ROLE_KEY }).channel('rest-room');
    expect(await service.send({ type: 'broadcast', event: 'from-batch', payload: { via: 'batch' } })).toBe(
      'ok',
    );
    expect(await receiver.inbox.next((message) => message.event === 'from-batch')).toMatchObject({
      payload: { via: 'batch' },
    });
    await expect(service.httpSend('from-single', { via: 'single' })).resolves.toEqual({ success: true });
    expect(await receiver.inbox.next((message) => message.event === 'from-single')).toMatchObject({
      payload: { via: 'single' },
    });
  });
});

describe('private channel on a topic only its owner may read and write', () => {
  const topic = () => bobsTopic;

  it("refuses another user's join with Supabase's reason", async () => {
    const intruder = (await clientFor(await userToken(alice))).channel(topic(), {
      config: { private: true },
    });
    const outcome = await refused(intruder);
    expect(outcome.status).toBe('CHANNEL_ERROR');
    expect(outcome.message).toBe(
      `Unauthorized: You do not have permissions to read from this Channel topic: ${topic()}`,
    );
    await intruder.unsubscribe();
  });

  it('refuses the anon key alone', async () => {
    const anonymous = supabaseClient({ key: ANON_KEY }).channel(topic(), { config: { private: true } });
    expect((await refused(anonymous)).status).toBe('CHANNEL_ERROR');
    await anonymous.unsubscribe();
  });

  it("lets the owner join and receive the service's REST broadcast, never the intruder's", async () => {
    const owner = await listen(await clientFor(await userToken(bob)), topic(), { private: true });
    const intruderClient = await clientFor(await userToken(alice));
    const intruder = intruderClient.channel(topic(), { config: { private: true } });
    // Not joined: supabase-js falls back to the REST batch endpoint, which drops unauthorized messages.
    await intruder.send({ type: 'broadcast', event: 'delta', payload: { text: 'forged' } });
    await expect(intruder.httpSend('delta', { text: 'forged too' })).rejects.toThrow('Unauthorized');
    await expect(
      supabaseClient({ key: ANON_KEY })
        .channel(topic(), { config: { private: true } })
        .httpSend('delta', { text: 'anon' }),
    ).rejects.toThrow('Unauthorized');

    const service = supabaseClient({ key: SERVICE_ROLE_KEY }).channel(topic(), { config: { private: true } });
    await expect(service.httpSend('delta', { text: 'real' })).resolves.toEqual({ success: true });
    await owner.inbox.next((message) => message.event === 'delta');
    expect(owner.inbox.events.map((message) => message.payload)).toEqual([{ text: 'real' }]);
  });

  it('lets the owner send on its own private channel, and the public room of the same name stays separate', async () => {
    const owner = await listen(await clientFor(await userToken(bob)), topic(), { private: true, ack: true });
    const publicTwin = await listen(await clientFor(await userToken(alice)), topic());
    const other = await listen(await clientFor(await userToken(bob)), topic(), { private: true });
    expect(await owner.channel.send({ type: 'broadcast', event: 'typing', payload: { on: true } })).toBe(
      'ok',
    );
    expect(await other.inbox.next()).toMatchObject({ event: 'typing', payload: { on: true } });
    await publicTwin.channel.send({ type: 'broadcast', event: 'public-only', payload: {} });
    const sentinel = supabaseClient({ key: SERVICE_ROLE_KEY }).channel(topic(), {
      config: { private: true },
    });
    await sentinel.httpSend('sentinel', {});
    await other.inbox.next((message) => message.event === 'sentinel');
    expect(other.inbox.events.map((message) => message.event)).toEqual(['typing', 'sentinel']);
  });
});

describe('REST broadcast endpoint', () => {
  it('answers 401 to a request without a valid key', async () => {
    const url = `${realtimeUrl()}/realtime/v1/api/broadcast`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { apikey: 'not-a-jwt', 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [] }),
    });
    expect(response.status).toBe(401);
  });

  it('answers 422 to malformed messages', async () => {
    const url = `${realtimeUrl()}/realtime/v1/api/broadcast`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { apikey: SERVICE_ROLE_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ topic: '', event: 'x', payload: 'not an object' }] }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toHaveProperty('errors');
  });
});
