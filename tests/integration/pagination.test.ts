import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { adminDb } from '../helpers/database';
import { callerFor, signUpUser } from '../helpers/users';

const db = adminDb();
afterAll(() => db.destroy());

describe('sessions.list keyset pagination', () => {
  it('has no duplicates or gaps across pages when many sessions share one last_message_at', async () => {
    const user = await signUpUser();
    const api = await callerFor(user.headers);
    // 3 groups of 25 sessions with identical timestamps, microseconds included.
    await sql`
      insert into chat_sessions (user_id, title, last_message_at)
      select ${user.id}, 'chat ' || g, timestamptz '2026-01-01 10:00:00.123456+00' + (g % 3) * interval '1 microsecond'
      from generate_series(1, 75) g`.execute(db);
    const expected = await db
      .selectFrom('chat_sessions')
      .select('id')
      .where('user_id', '=', user.id)
      .orderBy('last_message_at', 'desc')
      .orderBy('id', 'desc')
      .execute();

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof api.sessions.list>> = await api.sessions.list({
        limit: 7,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);

    expect(pages).toBe(11);
    expect(new Set(seen).size).toBe(75);
    expect(seen).toEqual(expected.map((r) => r.id));
  });

  it('ends with nextCursor null on an exactly full last page', async () => {
    const api = await callerFor((await signUpUser()).headers);
    for (let i = 0; i < 4; i++) await api.sessions.create({ title: `s${i}` });
    const first = await api.sessions.list({ limit: 2 });
    const second = await api.sessions.list({ limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
  });

  it("does not let a cursor from another user reveal that user's sessions", async () => {
    const alice = await callerFor((await signUpUser()).headers);
    const bob = await callerFor((await signUpUser()).headers);
    for (let i = 0; i < 3; i++) await alice.sessions.create({ title: `alice ${i}` });
    const { nextCursor } = await alice.sessions.list({ limit: 1 });
    expect(nextCursor).not.toBeNull();
    expect((await bob.sessions.list({ cursor: nextCursor ?? undefined })).items).toEqual([]);
  });
});
