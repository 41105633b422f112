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
      .set({ status: 'streaming' })
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
    // More chats than the first pass looks through one by one, so both ways of searching serve pages.
    for (let i = 0; i < 230; i++) {
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
    // Only in the 40 oldest chats: the recent chats hold none, so every page comes from the index.
    expect(await everyPage('"long ago"')).toEqual(matching.slice(-40));
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
