import type { SupabaseClient } from '@supabase/supabase-js';
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { followSidebar } from '@/client/sidebar-feed';
import { env } from '@/env';
import { type RealtimeServer, startRealtimeServer } from '@/realtime/realtime-server';
import { sessionRowsTopic } from '@/shared/realtime-topics';
import { insertMessage } from '../helpers/app-rows';
import { callerFor, signUpUser } from '../helpers/users';
import { EventInbox } from '../realtime/support/event-inbox';
import { ANON_KEY, type Change, serviceDatabase, subscribed } from '../realtime/support/realtime-fixture';

// The app's live feeds on a realtime server with hosted Supabase's DELETE semantics (REALTIME_DELETE_EVENTS=
// supabase: a DELETE on an RLS table reaches subscribers with the primary key only). Each user signs up and
// takes their realtime token through the app; the feeds subscribe exactly as the browser's do.

const db = serviceDatabase();
let server: RealtimeServer;
const clients: SupabaseClient[] = [];

beforeAll(async () => {
  server = await startRealtimeServer({
    port: 0,
    databaseUrl: inject('databaseUrl'),
    jwtSecret: env().SUPABASE_JWT_SECRET,
    deleteEvents: 'supabase',
  });
});
afterAll(async () => {
  for (const client of clients) {
    await client.removeAllChannels();
    client.realtime.disconnect();
  }
  await server.stop();
});

/** A signed-up user with a tab on the supabase-mode server: sidebar feed and the open chat's row feed. */
async function userWithTab(chatTitle: string) {
  const user = await signUpUser();
  const api = await callerFor(user.headers);
  const { token } = await api.realtime.token();
  const client = createClient(server.url, ANON_KEY, { accessToken: async () => token });
  clients.push(client);
  await client.realtime.setAuth();
  const openChat = await api.sessions.create({ title: chatTitle });
  const sidebar = new EventInbox<{ deleted: string } | { title: string }>();
  await new Promise<void>((joined) => {
    followSidebar(client.realtime, user.id, {
      onSession: (session) => sidebar.push({ title: session.title }),
      onDeleted: (id) => sidebar.push({ deleted: id }),
      onJoined: () => joined(),
    });
  });
  // As src/client/use-session-feed.ts subscribes the open chat's rows.
  const rows = new EventInbox<Change>();
  await subscribed(
    client
      .channel(sessionRowsTopic(openChat.id))
      .on(
        'postgres_changes',
        { event: '*', schema: 'public', table: 'chat_messages', filter: `session_id=eq.${openChat.id}` },
        (change) => rows.push(change as Change),
      ),
  );
  return { user, api, openChat, sidebar, rows };
}

describe('app feeds with hosted DELETE semantics', () => {
  it("tell each user about their own deleted chats and messages by id, never another user's", async () => {
    const alice = await userWithTab('Alice open');
    const bob = await userWithTab('Bob open');
    const aliceOther = await alice.api.sessions.create({ title: 'Alice other' });
    const aliceMessage = await insertMessage(db, alice.user.id, alice.openChat.id, { content: 'kept' });
    const aliceGone = await insertMessage(db, alice.user.id, alice.openChat.id, { content: 'gone' });
    const bobMessage = await insertMessage(db, bob.user.id, bob.openChat.id, { content: 'Bob private' });

    await bob.api.sessions.delete({ id: bob.openChat.id });
    await db.query('delete from chat_messages where id = $1', [aliceGone]);
    await alice.api.sessions.delete({ id: aliceOther.id });

    // Alice's sidebar: her deleted chat by id; Bob's delete, committed earlier, never.
    await alice.sidebar.next((event) => 'deleted' in event && event.deleted === aliceOther.id);
    expect(alice.sidebar.count((event) => 'deleted' in event && event.deleted === bob.openChat.id)).toBe(0);
    await bob.sidebar.next((event) => 'deleted' in event && event.deleted === bob.openChat.id);
    expect(bob.sidebar.count((event) => 'deleted' in event && event.deleted === aliceOther.id)).toBe(0);

    // Alice's open chat hears its deleted message as its key alone, which is all the chat view reads.
    const deleted = await alice.rows.next(
      (change) => change.eventType === 'DELETE' && change.old.id === aliceGone,
    );
    expect(deleted.old).toEqual({ id: aliceGone });
    // Whatever else arrives as a DELETE (hosted Supabase may not filter them) is a bare key the view does not
    // show, which it ignores; nothing of Bob's rows but a key.
    const shown = new Set([aliceMessage, aliceGone]);
    for (const change of alice.rows.events.filter((event) => event.eventType === 'DELETE')) {
      expect(Object.keys(change.old)).toEqual(['id']);
      if (!shown.has(String(change.old.id))) expect(change.old.id).toBe(bobMessage);
    }
    expect(JSON.stringify(alice.rows.events)).not.toContain('Bob private');
  });
});
