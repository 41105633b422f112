import type { SupabaseClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { followSidebar } from '@/client/sidebar-feed';
import { userSessionsTopic } from '@/shared/realtime-topics';
import type { ChatSession } from '@/shared/session-row';
import { createChatSession, createUser } from '../helpers/app-rows';
import { EventInbox } from '../realtime/support/event-inbox';
import {
  clientFor,
  refused,
  serviceDatabase,
  supabaseClient,
  userToken,
} from '../realtime/support/realtime-fixture';

// The sidebar's live feed (migration 0020): chat_sessions changes broadcast from the database to the private
// topic user:<id>:sessions, followed through the client's own followSidebar.

const db = serviceDatabase();

type SidebarEvent = { kind: 'session'; session: ChatSession } | { kind: 'deleted'; id: string };

/** A tab's sidebar feed: what followSidebar hands the store, once joined. */
async function sidebarOf(client: SupabaseClient, userId: string) {
  const inbox = new EventInbox<SidebarEvent>();
  await new Promise<void>((resolve) => {
    followSidebar(client.realtime, userId, {
      onSession: (session) => inbox.push({ kind: 'session', session }),
      onDeleted: (id) => inbox.push({ kind: 'deleted', id }),
      onJoined: () => resolve(),
    });
  });
  return inbox;
}

const sessionNamed =
  (title: string) =>
  (event: SidebarEvent): boolean =>
    event.kind === 'session' && event.session.title === title;

describe('sidebar feed (Broadcast from Database)', () => {
  it("delivers a user's session changes to every tab of theirs, and nothing of anyone else's", async () => {
    const alice = await createUser(db);
    const bob = await createUser(db);
    const aliceTabs = await Promise.all(
      [0, 1].map(async () => sidebarOf(await clientFor(await userToken(alice)), alice)),
    );
    const bobTab = await sidebarOf(await clientFor(await userToken(bob)), bob);

    const bobSession = await createChatSession(db, bob, 'Bob secret plans');
    const session = await createChatSession(db, alice, 'Alice first');
    await db.query(`update chat_sessions set title = 'Alice renamed', pinned_at = now() where id = $1`, [
      session,
    ]);
    await db.query('delete from chat_sessions where id = $1', [bobSession]);
    await db.query('delete from chat_sessions where id = $1', [session]);

    for (const tab of aliceTabs) {
      const created = await tab.next(sessionNamed('Alice first'));
      expect(created.kind === 'session' && created.session.id).toBe(session);
      const renamed = await tab.next(sessionNamed('Alice renamed'));
      expect(renamed.kind === 'session' && renamed.session.pinnedAt).toBeInstanceOf(Date);
      await tab.next((event) => event.kind === 'deleted' && event.id === session);
      // Alice's delete, committed after everything of Bob's, is the sentinel.
      expect(
        tab.count(
          (event) => JSON.stringify(event).includes('Bob') || JSON.stringify(event).includes(bobSession),
        ),
      ).toBe(0);
    }
    await bobTab.next((event) => event.kind === 'deleted' && event.id === bobSession);
    expect(bobTab.count((event) => JSON.stringify(event).includes(session))).toBe(0);
  });

  it("refuses user B a join of user A's sessions topic, and anyone without a user token", async () => {
    const alice = await createUser(db);
    const bob = await createUser(db);
    const asBob = await clientFor(await userToken(bob));
    const bobTriesAlice = await refused(
      asBob.channel(userSessionsTopic(alice), { config: { private: true } }),
    );
    expect(bobTriesAlice.status).toBe('CHANNEL_ERROR');
    expect(bobTriesAlice.message).toMatch(/unauthorized/i);

    const anonymous = await refused(
      supabaseClient().channel(userSessionsTopic(alice), { config: { private: true } }),
    );
    expect(anonymous.status).toBe('CHANNEL_ERROR');

    // The topic is read-only, even for its owner (no insert policy): a forged change reaches no tab.
    const aliceTab = await sidebarOf(await clientFor(await userToken(alice)), alice);
    const forger = (await clientFor(await userToken(alice))).channel(userSessionsTopic(alice), {
      config: { private: true },
    });
    await new Promise<void>((resolve) => forger.subscribe((status) => status === 'SUBSCRIBED' && resolve()));
    const forged = { id: crypto.randomUUID(), title: 'Forged', last_message_at: new Date().toISOString() };
    await forger.send({
      type: 'broadcast',
      event: 'INSERT',
      payload: { operation: 'INSERT', record: forged },
    });
    await createChatSession(db, alice, 'Sentinel');
    await aliceTab.next(sessionNamed('Sentinel'));
    expect(aliceTab.count(sessionNamed('Forged'))).toBe(0);
  });

  it('sends only changes the sidebar shows: the engine bumping its rate counters sends nothing', async () => {
    const alice = await createUser(db);
    const tab = await sidebarOf(await clientFor(await userToken(alice)), alice);
    const session = await createChatSession(db, alice, 'Counted');
    await db.query('update chat_sessions set request_count = request_count + 1 where id = $1', [session]);
    await db.query(`update chat_sessions set title = 'Sentinel' where id = $1`, [session]);
    await tab.next(sessionNamed('Sentinel'));
    expect(tab.events.map((event) => event.kind === 'session' && event.session.title)).toEqual([
      'Counted',
      'Sentinel',
    ]);
  });

  it("keeps no sent change of a deleted chat, or of a deleted account's chats, in realtime.messages", async () => {
    const storedAbout = async (sessionId: string) =>
      (
        await db.query<{ count: string }>(
          `select count(*) from realtime.messages
            where payload -> 'record' ->> 'id' = $1 or payload -> 'old_record' ->> 'id' = $1`,
          [sessionId],
        )
      ).rows[0]?.count;
    const alice = await createUser(db);
    const kept = await createChatSession(db, alice, 'Kept plans');
    const deleted = await createChatSession(db, alice, 'Deleted plans');
    await db.query(`update chat_sessions set title = 'Deleted plans, renamed' where id = $1`, [deleted]);
    expect(await storedAbout(deleted)).toBe('2');

    await db.query('delete from chat_sessions where id = $1', [deleted]);
    expect(await storedAbout(deleted)).toBe('0');
    expect(await storedAbout(kept)).toBe('1');

    await db.query('delete from better_auth."user" where id = $1', [alice]);
    expect(await storedAbout(kept)).toBe('0');
  });
});
