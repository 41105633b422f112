import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { demoReplyText } from '@/server/chat-engine/demo-model';
import { insertExchange } from '../helpers/chat-rows';
import { adminDb } from '../helpers/database';
import { expectTrpcError } from '../helpers/trpc-errors';
import { anonymousHeaders, callerFor, signUpUser } from '../helpers/users';

const db = adminDb();
afterAll(() => db.destroy());

/** The highlighted parts of a snippet, as the sidebar marks them. */
function marked(snippet: { text: string; highlights: { start: number; end: number }[] }): string[] {
  return snippet.highlights.map(({ start, end }) => snippet.text.slice(start, end));
}

async function userWithApi() {
  const user = await signUpUser();
  return { user, api: await callerFor(user.headers) };
}

describe('search.chats', () => {
  it('finds a word that appears only in a reply, with the reply as a highlighted snippet', async () => {
    const { user, api } = await userWithApi();
    const chat = await api.sessions.create({ title: 'Bread' });
    const [, reply] = await insertExchange(
      db,
      user.id,
      chat.id,
      'How do I bake bread?',
      demoReplyText('bread'),
    );

    const { items, nextCursor } = await api.search.chats({ query: 'configured' });
    expect(nextCursor).toBeNull();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ sessionId: chat.id, message: { id: reply?.id, role: 'assistant' } });
    expect(marked(items[0]?.message?.snippet ?? { text: '', highlights: [] })).toEqual(['configured']);
    expect(items[0]?.message?.snippet.text).toContain('no AI provider is configured yet');
  });

  it('finds chats by title, accents and case aside, and marks the hit in the title', async () => {
    const { api } = await userWithApi();
    const chat = await api.sessions.create({ title: 'Café in Lisbon' });
    await api.sessions.create({ title: 'Tax return' });

    const { items } = await api.search.chats({ query: 'CAFE' });
    expect(items.map((hit) => hit.sessionId)).toEqual([chat.id]);
    expect(items[0]?.title.text).toBe('Café in Lisbon');
    expect(marked(items[0]?.title ?? { text: '', highlights: [] })).toEqual(['Café']);
    expect(items[0]?.message).toBeNull();
  });

  it('understands phrases and exclusions, and finds nothing for text without words', async () => {
    const { user, api } = await userWithApi();
    const apples = await api.sessions.create({});
    await insertExchange(db, user.id, apples.id, 'red apples and green pears', 'ok');
    const pears = await api.sessions.create({});
    await insertExchange(db, user.id, pears.id, 'green apples only', 'ok');

    const ids = async (query: string) =>
      (await api.search.chats({ query })).items.map((hit) => hit.sessionId);
    expect(await ids('"red apples"')).toEqual([apples.id]);
    expect(await ids('apples -pears')).toEqual([pears.id]);
    expect(await ids('<b>&amp;')).toEqual([]);
    expect(await ids('!!! ---')).toEqual([]);
  });

  it('returns snippets as text plus ranges: marker characters typed by a user highlight nothing', async () => {
    const { user, api } = await userWithApi();
    const chat = await api.sessions.create({ title: 'x \uE000forged\uE001 keyword' });
    await insertExchange(db, user.id, chat.id, 'a \uE000forged\uE001 keyword here', 'fine');

    const [hit] = (await api.search.chats({ query: 'keyword' })).items;
    for (const text of [hit?.message?.snippet, hit?.title]) {
      expect(text?.text).toMatch(/forged keyword/);
      expect(text?.text).not.toMatch(/[\uE000\uE001]/);
      expect(marked(text ?? { text: '', highlights: [] })).toEqual(['keyword']);
    }
  });

  it("never returns another user's chats or messages", async () => {
    const alice = await userWithApi();
    const bob = await userWithApi();
    const secret = `zanzibar${crypto.randomUUID().slice(0, 8)}`;
    const chat = await alice.api.sessions.create({ title: `Plans ${secret}` });
    await insertExchange(db, alice.user.id, chat.id, `my ${secret} question`, `the ${secret} answer`);

    expect((await alice.api.search.chats({ query: secret })).items).toHaveLength(1);
    expect(await bob.api.search.chats({ query: secret })).toEqual({ items: [], nextCursor: null });
  });

  it('does not find a reply while it streams, and finds it once finished', async () => {
    const { user, api } = await userWithApi();
    const chat = await api.sessions.create({});
    const [, reply] = await insertExchange(db, user.id, chat.id, 'hello', 'streaming marmalade so far');
    await db
      .updateTable('chat_messages')
      // held by a runner: the orphan sweep of an engine another test file runs leaves it streaming
      .set({ status: 'streaming', lease_expires_at: sql<Date>`now() + interval '1 hour'` })
      .where('id', '=', reply?.id ?? '')
      .execute();
    expect((await api.search.chats({ query: 'marmalade' })).items).toEqual([]);

    await db
      .updateTable('chat_messages')
      .set({ status: 'complete' })
      .where('id', '=', reply?.id ?? '')
      .execute();
    expect((await api.search.chats({ query: 'marmalade' })).items.map((hit) => hit.sessionId)).toEqual([
      chat.id,
    ]);
  });

  it('pages through every matching chat once, newest first, skipping chats without the word', async () => {
    const { user, api } = await userWithApi();
    const start = Date.now() - 3_600_000;
    const matching: string[] = [];
    // More chats than the first pass looks through (250), so every way of searching serves pages.
    for (let i = 0; i < 300; i++) {
      const chat = await api.sessions.create({});
      const at = new Date(start + i * 1000);
      const hit = i % 3 === 0 || i < 40;
      const answer = i < 40 ? 'it is configured, long ago' : hit ? 'it is configured' : 'nothing here';
      await insertExchange(db, user.id, chat.id, `question ${i}`, answer, at);
      await db.updateTable('chat_sessions').set({ last_message_at: at }).where('id', '=', chat.id).execute();
      if (hit) matching.unshift(chat.id);
    }

    async function everyPage(query: string) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.search.chats({ query, limit: 7, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(7);
        seen.push(...page.items.map((hit) => hit.sessionId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return seen;
    }
    expect(await everyPage('configured')).toEqual(matching);
    // Only in the 40 oldest chats: the recent chats hold none, so every page comes from past the first pass.
    expect(await everyPage('"long ago"')).toEqual(matching.slice(-40));
  });

  // ~80 searches over a seed of 9000 messages: room for a busy machine.
  it('finds exactly what reading every message finds, page by page, however far back or common the words', {
    timeout: 120_000,
  }, async () => {
    const { user, api } = await userWithApi();
    const other = await userWithApi();
    const base = Date.parse('2026-01-01T00:00:00Z');
    // 320 chats, more than the search looks through one by one before asking an index, the 60 oldest with
    // 20 "gamma" messages each: more hits than the index is asked for. Every message is a root of its own
    // branch (parent_id null), so the chat shows only the newest, and all of them must be searchable.
    const seed = async (userId: string) => {
      await sql`
        insert into chat_sessions (user_id, title, last_message_at, created_at)
        select ${userId}, 'Chat ' || i || case when i % 41 = 0 then ' kappa' else '' end,
          ${new Date(base)}::timestamptz + i * interval '1 minute', ${new Date(base)}::timestamptz
        from generate_series(0, 319) i`.execute(db);
      await sql`
        insert into chat_messages (session_id, user_id, role, content, status, lease_expires_at, parent_id,
                                   created_at)
        select s.id, ${userId}, case when k % 2 = 0 then 'user' else 'assistant' end, words.content,
          case when words.streaming then 'streaming' else 'complete' end,
          -- held by a runner: the orphan sweep of an engine another test file runs leaves it streaming
          case when words.streaming then now() + interval '1 hour' end, null::uuid,
          s.last_message_at - interval '1 second' * (30 - k)
        from (select id, last_message_at, substring(title from '[0-9]+')::int as i from chat_sessions
              where user_id = ${userId}) s
        cross join lateral (values
          (0, format('question %s, tell me', s.i), false),
          (1, 'the alpha reply', false),
          (2, case when s.i % 37 = 0 then 'a beta question' else 'plain' end, false),
          (3, case s.i % 5 when 0 then 'delta epsilon here' when 1 then 'delta only'
                           when 2 then 'epsilon delta reversed' else 'none' end, false),
          (4, case s.i % 5 when 1 then 'epsilon only' else 'nothing' end, false),
          (5, case s.i % 4 when 0 then 'apples and pears' when 1 then 'apples and pears' when 2 then 'apples'
                           else 'figs' end, false),
          (6, case s.i % 4 when 0 then 'apples alone' else 'quiet' end, false),
          (7, case when s.i % 50 = 3 then 'an omega branch' else 'calm' end, false),
          (8, case when s.i % 9 = 0 then 'marmalade still streaming' else 'done' end, s.i % 9 = 0),
          (9, case when s.i % 13 = 0 then 'theta, deleted later' else 'kept' end, false),
          -- unaccent makes "½" the lexeme " 1/2", with a space
          (10, case s.i % 7 when 5 then 'x ½ y' when 6 then 'y ½ x' else 'still' end, false)
        ) words(k, content, streaming)
        union all
        select s.id, ${userId}, 'assistant', 'more gamma ' || n, 'complete', null::timestamptz, null::uuid,
          s.last_message_at - interval '1 minute' + n * interval '1 millisecond'
        from chat_sessions s cross join generate_series(1, 20) n
        where s.user_id = ${userId} and s.last_message_at < ${new Date(base)}::timestamptz + interval '60 minutes'`.execute(
        db,
      );
      // Words of deleted messages stay among a chat's words; a chat whose words are unknown is read in full.
      await sql`delete from chat_messages where user_id = ${userId} and content like 'theta%'`.execute(db);
      await sql`
        update chat_session_words set words = null
        where session_id in (select id from chat_sessions
                             where user_id = ${userId} and substring(title from '[0-9]+')::int % 11 = 0)`.execute(
        db,
      );
    };
    await seed(user.id);
    await seed(other.user.id);
    await sql`
      insert into chat_messages (session_id, user_id, role, content)
      select id, user_id, 'user', 'zeta is only theirs' from chat_sessions where user_id = ${other.user.id}`.execute(
      db,
    );

    /** Every matching chat newest first, with its newest matching message: the search's answer, the slow way. */
    async function byReadingEverything(query: string) {
      const { rows } = await sql<{ sessionId: string; messageId: string | null }>`
        with q as (select websearch_to_tsquery('public.chat_search', ${query}) as q)
        select s.id as "sessionId",
          (select m.id from chat_messages m, q where m.session_id = s.id and m.search_vector @@ q.q
           order by m.created_at desc, m.id desc limit 1) as "messageId"
        from chat_sessions s, q
        where s.user_id = ${user.id}
          and (s.title_search_vector @@ q.q
               or exists (select 1 from chat_messages m where m.session_id = s.id and m.search_vector @@ q.q))
        order by s.last_message_at desc, s.id desc`.execute(db);
      return rows;
    }

    async function bySearching(query: string) {
      const seen: { sessionId: string; messageId: string | null }[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.search.chats({ query, limit: 13, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(13);
        seen.push(
          ...page.items.map((hit) => ({ sessionId: hit.sessionId, messageId: hit.message?.id ?? null })),
        );
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return seen;
    }

    const queries = [
      ['alpha', 320],
      ['beta', 9],
      ['gamma', 60],
      ['"delta epsilon"', 64],
      ['"x ½ y"', 45],
      ['apples -pears', 160],
      ['omega', 7],
      ['beta or kappa', 16],
      ['kappa', 8],
      ['alpha -gamma', 320],
      ['marmalade', 0],
      ['theta', 0],
      ['zeta', 0],
    ] as const;
    // "alpha" fills pages from the newest chats, "beta" and "kappa" come from the indexes, "gamma" has more
    // hits than the index is asked for and is walked to (whether ANALYZE already calls it common or not).
    for (const [query, chats] of queries) {
      const expected = await byReadingEverything(query);
      expect(expected, query).toHaveLength(chats);
      expect(await bySearching(query), query).toEqual(expected);
    }
  });

  it('refuses bad input with BAD_REQUEST naming the field', async () => {
    const { api } = await userWithApi();
    await expectTrpcError(api.search.chats({ query: 'a\u0000b' }), 'BAD_REQUEST', /^query: /);
    await expectTrpcError(api.search.chats({ query: 'x'.repeat(201) }), 'BAD_REQUEST', /query: .*200/);
    await expectTrpcError(api.search.chats({ query: '   ' }), 'BAD_REQUEST', /query: Search text is empty/);
    await expectTrpcError(api.search.chats({ query: 'x', cursor: 'garbage' }), 'BAD_REQUEST', /cursor: /);
    await expectTrpcError(api.search.chats({ query: 'x', limit: 51 }), 'BAD_REQUEST', /limit: /);
  });

  it('refuses callers without a session', async () => {
    const anonymous = await callerFor(anonymousHeaders());
    await expectTrpcError(anonymous.search.chats({ query: 'configured' }), 'UNAUTHORIZED');
  });
});
