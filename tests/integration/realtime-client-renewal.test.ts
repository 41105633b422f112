import { beforeAll, describe, expect, it } from 'vitest';
import { createRealtimeClient, type RealtimeClient } from '@/client/realtime-client';
import { createTestSchema, privateTopic } from '../realtime/support/database-broadcast-fixture';
import { EventInbox } from '../realtime/support/event-inbox';
import {
  ANON_KEY,
  clientFor,
  newUser,
  realtimeUrl,
  serviceDatabase,
  shortLivedToken,
  subscribed,
  userToken,
} from '../realtime/support/realtime-fixture';

const db = serviceDatabase();
let userId: string;
/** A private topic only `userId` may read and send on (test-owned policies on realtime.messages). */
let topic: string;

beforeAll(async () => {
  await createTestSchema(db);
  userId = newUser();
  topic = await privateTopic(db, [userId]);
});

function expiresAt(token: string): number {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).exp * 1000;
}

function browserClient(fetchToken: () => Promise<{ token: string; expiresAt: number }>): RealtimeClient {
  return createRealtimeClient({
    supabaseUrl: realtimeUrl(),
    anonKey: ANON_KEY,
    fetchToken,
    renewBeforeMs: 2_000,
  });
}

describe('browser realtime client (src/client/realtime-client.ts)', () => {
  it('renews its short-lived token before expiry, so a private channel outlives the first token', async () => {
    let fetched = 0;
    const client = browserClient(async () => {
      fetched++;
      const token = await shortLivedToken(userId, 3);
      return { token, expiresAt: expiresAt(token) };
    });
    await client.ready;
    const messages = new EventInbox<{ event: string }>();
    const system = new EventInbox<{ status: string; message: string }>();
    const channel = client.socket
      .channel(topic, { config: { private: true } })
      .on('broadcast', { event: '*' }, messages.push)
      .on('system', {}, system.push);
    await subscribed(channel);
    const firstExpiry = Date.now() + 3_000;
    await new Promise((resolve) => setTimeout(resolve, firstExpiry - Date.now() + 1_500));

    // The first token is dead by now; the channel still receives what the user's other tab sends.
    const otherTab = (await clientFor(await userToken(userId))).channel(topic, { config: { private: true } });
    await subscribed(otherTab);
    await otherTab.send({ type: 'broadcast', event: 'still-open', payload: {} });
    await messages.next((message) => message.event === 'still-open');
    expect(fetched).toBeGreaterThan(1);
    expect(system.events.filter((message) => message.status === 'error')).toEqual([]);
    client.dispose();
  });

  it('lets the channel close when renewal is refused (a revoked session)', async () => {
    let allowed = true;
    const client = browserClient(async () => {
      if (!allowed) throw new Error('UNAUTHORIZED');
      const token = await shortLivedToken(userId, 3);
      return { token, expiresAt: expiresAt(token) };
    });
    await client.ready;
    const system = new EventInbox<{ extension: string; status: string; message: string }>();
    const channel = client.socket.channel(topic, { config: { private: true } }).on('system', {}, system.push);
    await subscribed(channel);
    allowed = false;
    const notice = await system.next((message) => message.status === 'error');
    expect(notice.message).toMatch(/^Token has expired/);
    client.dispose();
  });
});
