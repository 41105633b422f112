import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_JWT_SECRET } from '@/env';
import { type RealtimeServer, startRealtimeServer } from '@/realtime';
import { createNotesTable } from './support/database-broadcast-fixture';
import { EventInbox } from './support/event-inbox';
import {
  ANON_KEY,
  type Change,
  serviceDatabase,
  shortLivedToken,
  subscribed,
} from './support/realtime-fixture';

// DELETE events of an RLS table in both modes of `deleteEvents` (REALTIME_DELETE_EVENTS). Hosted Supabase
// cannot check a deleted row against RLS and sends its primary key to every subscriber of the table
// (`supabase`); our default (`strict`) judges the whole old row (REPLICA IDENTITY FULL) against the policies.

const db = serviceDatabase();
const clients: SupabaseClient[] = [];
afterAll(async () => {
  for (const client of clients) {
    await client.removeAllChannels();
    client.realtime.disconnect();
  }
});

beforeAll(() => createNotesTable(db));

async function note(owner: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    "insert into rtdb_test.notes (owner, body) values ($1, 'private text') returning id",
    [owner],
  );
  return (rows[0] as { id: string }).id;
}

async function deletesSeenBy(server: RealtimeServer, userId: string) {
  const client: SupabaseClient = createClient(server.url, ANON_KEY, {
    accessToken: async () => shortLivedToken(userId, 3600),
  });
  await client.realtime.setAuth();
  clients.push(client);
  const inbox = new EventInbox<Change>();
  await subscribed(
    client
      .channel(`notes-${randomUUID()}`)
      .on('postgres_changes', { event: 'DELETE', schema: 'rtdb_test', table: 'notes' }, (change) =>
        inbox.push(change as Change),
      ),
  );
  return inbox;
}

describe.each(['strict', 'supabase'] as const)('deleteEvents: %s', (mode) => {
  let server: RealtimeServer;
  beforeAll(async () => {
    server = await startRealtimeServer({
      port: 0,
      databaseUrl: inject('databaseUrl'),
      jwtSecret: DEMO_JWT_SECRET,
      deleteEvents: mode,
    });
  });
  afterAll(() => server.stop());

  it(
    mode === 'strict'
      ? "sends a deleted row's key to its owner only"
      : "sends a deleted row's key, and nothing else of it, to every subscriber of the table",
    async () => {
      const alice = `alice-${randomUUID()}`;
      const bob = `bob-${randomUUID()}`;
      const aliceNote = await note(alice);
      const bobNote = await note(bob);
      const aliceSees = await deletesSeenBy(server, alice);
      const bobSees = await deletesSeenBy(server, bob);

      await db.query('delete from rtdb_test.notes where id = $1', [aliceNote]);
      await db.query('delete from rtdb_test.notes where id = $1', [bobNote]);

      const isAlices = (change: Change) => change.old.id === aliceNote;
      expect((await aliceSees.next(isAlices)).old).toEqual({ id: aliceNote });
      // Bob's own delete, committed later, is the sentinel: whatever of Alice's was coming has come.
      expect((await bobSees.next((change) => change.old.id === bobNote)).old).toEqual({ id: bobNote });
      if (mode === 'strict') expect(bobSees.count(isAlices)).toBe(0);
      else expect(bobSees.events.find(isAlices)?.old).toEqual({ id: aliceNote });
    },
  );
});
