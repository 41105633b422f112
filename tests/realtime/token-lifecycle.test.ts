import { beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, privateTopic } from './support/database-broadcast-fixture';
import { EventInbox } from './support/event-inbox';
import {
  type Change,
  newUser,
  refused,
  serviceDatabase,
  shortLivedToken,
  subscribed,
  supabaseClient,
  userToken,
} from './support/realtime-fixture';
import { createTestTables, createThread, insertPost } from './support/test-tables';

interface SystemMessage {
  extension: string;
  status: string;
  message: string;
}

const db = serviceDatabase();
beforeAll(() => createTestTables(db));
let userId: string;
let threadId: string;
/** A private topic only `userId` may read (a test-owned policy on realtime.messages). */
let topic: string;

beforeAll(async () => {
  userId = newUser();
  threadId = await createThread(db, userId);
  await createTestSchema(db);
  topic = await privateTopic(db, [userId]);
});

function untilPast(epochSeconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, epochSeconds * 1000 - Date.now() + 250)));
}

function expiryOf(token: string): number {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).exp;
}

describe('realtime token lifecycle', () => {
  it('closes the channel with a system error when the token expires while joined', async () => {
    const token = await shortLivedToken(userId, 3);
    const client = supabaseClient({ token: async () => token });
    await client.realtime.setAuth();
    const system = new EventInbox<SystemMessage>();
    const statuses = new EventInbox<string>();
    const channel = client.channel(topic, { config: { private: true } }).on('system', {}, system.push);
    channel.subscribe((status) => statuses.push(status));
    await statuses.next((status) => status === 'SUBSCRIBED');

    const notice = await system.next((message) => message.status === 'error');
    expect(notice).toMatchObject({ extension: 'system', status: 'error' });
    expect(notice.message).toMatch(/^Token has expired \d+ seconds ago$/);
    await statuses.next((status) => status === 'CLOSED');
  });

  it('keeps delivering past the first expiry once the client renews its token', async () => {
    let current = await shortLivedToken(userId, 4);
    const firstExpiry = expiryOf(current);
    const client = supabaseClient({ token: async () => current });
    await client.realtime.setAuth();
    const changes = new EventInbox<Change>();
    const system = new EventInbox<SystemMessage>();
    const channel = client
      .channel('renewing')
      .on(
        'postgres_changes',
        { event: 'INSERT', schema: 'rt_test', table: 'posts', filter: `thread_id=eq.${threadId}` },
        changes.push,
      )
      .on('system', {}, system.push);
    await subscribed(channel);
    await system.next((message) => message.extension === 'postgres_changes' && message.status === 'ok');

    current = await userToken(userId);
    await client.realtime.setAuth();
    // The server re-subscribes with the new claims and says so again.
    await system.next(() => system.count((message) => message.extension === 'postgres_changes') >= 2);
    await untilPast(firstExpiry);

    const id = await insertPost(db, userId, threadId, { content: 'after renewal' });
    expect((await changes.next()).new.id).toBe(id);
    expect(system.events.filter((message) => message.status === 'error')).toEqual([]);
  });

  it("refuses a join with an expired token, with Supabase's reason", async () => {
    const expired = await shortLivedToken(userId, -5);
    const client = supabaseClient();
    const channel = client.channel('expired-join', { config: { private: false } });
    channel.updateJoinPayload({ access_token: expired });
    const outcome = await refused(channel);
    expect(outcome.status).toBe('CHANNEL_ERROR');
    expect(outcome.message).toMatch(/^InvalidJWTToken: Token has expired \d+ seconds ago$/);
    await channel.unsubscribe();
  });

  it('refuses a socket whose apikey is not signed with the project secret', async () => {
    const forged = `${(await userToken(userId)).slice(0, -4)}AAAA`;
    const client = supabaseClient({ key: forged });
    const outcome = await refused(client.channel('forged'));
    expect(outcome.status).toBe('CHANNEL_ERROR');
    client.realtime.disconnect();
  });
});
