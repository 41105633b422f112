// search.chats server time for a user with 100k messages (10k chats) among 1M messages of 10 users, through
// the real tRPC procedure on a real BetterAuth session: p50/p99 for a word in every reply, a word in 1% of
// messages, a rare word, a phrase, a title word, a word nobody wrote, a deep page, and a common word found only
// in old chats (the walk past recent chats that do not have it). Prints the plans.
import { sql } from 'kysely';
import { encodeCursor } from '../src/server/pagination/keyset-cursor';
import { startBenchApp } from './bench-app';
import { percentile, reportFigure } from './bench-report';

const USERS = 10;
const CHATS_PER_USER = 10_000;
const MESSAGES_PER_CHAT = 10;
const ITERATIONS = 200;

export async function main() {
  const app = await startBenchApp();
  const { db } = app;

  try {
    const users: { id: string; headers: Headers }[] = [];
    for (let i = 0; i < USERS; i++) users.push(await app.signUp(`search-${i}@example.test`, `Search ${i}`));
    const target = users[0];
    if (!target) throw new Error('no users');

    const seedStart = performance.now();
    // Built after the load, as one pass each (the same definitions the migration made).
    const indexes = await sql<{ indexdef: string; indexname: string }>`
      select indexname, indexdef from pg_indexes
      where indexname in ('chat_messages_search_idx', 'chat_sessions_title_search_idx')`.execute(db());
    for (const index of indexes.rows) await sql`drop index ${sql.id(index.indexname)}`.execute(db());
    // Each chat's words are gathered after the load as well, by the statement migration 0023 runs (the
    // trigger would update a chat once per message).
    await sql`alter table chat_messages disable trigger chat_messages_add_words_on_insert`.execute(db());
    // Chat g belongs to user g % 10; titles "Chat about title<g % 500> plans".
    await sql`
      insert into chat_sessions (user_id, title, last_message_at, created_at)
      select (${sql.val(users.map((u) => u.id))}::text[])[g % ${USERS} + 1],
        'Chat about title' || (g % 500) || ' plans', now() - g * interval '1 minute', now() - g * interval '1 minute'
      from generate_series(1, ${USERS * CHATS_PER_USER}) g`.execute(db());
    // Replies read like the demo model's (every one says "configured"); kw<n> is in 1% of messages,
    // rare<n> in ~5 of a user's, and the chats older than the newest 1000 of each user mention "legacy".
    await sql`
      insert into chat_messages (session_id, user_id, role, content, status, created_at)
      select s.id, s.user_id, case when m % 2 = 1 then 'user' else 'assistant' end,
        case when m % 2 = 1
          then format('Question %s about kw%s and rare%s, could you explain the details%s?', m, n % 100, n % 20000,
                      case when s.age > 1000 then ' of the legacy setup' else '' end)
          else format('**This is the offline demo model** — no AI provider is configured yet, so nothing was sent '
                      'anywhere. You asked about kw%s and rare%s. To get real answers, set one of these in .env and '
                      'restart: AI_BASE_URL, AI_API_KEY, AI_MODELS, OPENAI_API_KEY or ANTHROPIC_API_KEY. For example, '
                      'with Ollama running locally. Everything else — streaming, stopping, reloading mid-reply, several '
                      'tabs — works the same with the demo.', n % 100, n % 20000)
        end,
        'complete', s.last_message_at - (${MESSAGES_PER_CHAT} - m) * interval '1 second'
      from (select id, user_id, last_message_at, row_number() over (order by id) as k,
                   row_number() over (partition by user_id order by last_message_at desc) as age
            from chat_sessions) s
      cross join generate_series(1, ${MESSAGES_PER_CHAT}) m
      cross join lateral (select s.k * ${MESSAGES_PER_CHAT} + m as n) numbered`.execute(db());
    await sql`alter table chat_messages enable trigger chat_messages_add_words_on_insert`.execute(db());
    await sql`
      insert into chat_session_words (session_id, words)
      select session_id, chat_lexemes(search_vector) from chat_messages
      where search_vector is not null group by session_id`.execute(db());
    for (const index of indexes.rows) await sql.raw(index.indexdef).execute(db());
    // As autovacuum would after the load.
    await sql`vacuum analyze`.execute(db());
    reportFigure('search seed (1M messages, 100k chats)', performance.now() - seedStart, 'ms');

    const caller = await app.callerFor(target.headers);
    const deep = await sql<{ at: string; id: string }>`
      select last_message_at::text as at, id from chat_sessions where user_id = ${target.id}
      order by last_message_at desc, id desc offset ${Math.floor(CHATS_PER_USER * 0.9)} limit 1`.execute(
      db(),
    );
    const deepCursor = encodeCursor(deep.rows[0] as { at: string; id: string });
    const rare = await sql<{ word: string }>`
      select substring(content from 'rare[0-9]+') as word from chat_messages
      where user_id = ${target.id} and role = 'user' limit 1`.execute(db());
    const title = await sql<{ word: string }>`
      select substring(title from 'title[0-9]+') as word from chat_sessions where user_id = ${target.id} limit 1`.execute(
      db(),
    );

    const cases: [string, { query: string; cursor?: string }, number][] = [
      ['word in every reply', { query: 'configured' }, ITERATIONS],
      ['word in 1% of messages', { query: 'kw7' }, ITERATIONS],
      ['rare word', { query: rare.rows[0]?.word ?? 'rare1' }, ITERATIONS],
      ['phrase', { query: '"offline demo model"' }, ITERATIONS],
      ['title word', { query: title.rows[0]?.word ?? 'title1' }, ITERATIONS],
      ['word nobody wrote', { query: 'xylophone' }, ITERATIONS],
      ['word in every reply, deep page', { query: 'configured', cursor: deepCursor }, ITERATIONS],
      ['common word only in old chats (worst case)', { query: 'legacy' }, 20],
    ];
    for (const [name, input, iterations] of cases) {
      const first = await caller.search.chats(input);
      for (let i = 0; i < 20; i++) await caller.search.chats(input); // warm up (JIT, plan cache, buffers)
      const samples: number[] = [];
      for (let i = 0; i < iterations; i++) {
        const start = performance.now();
        await caller.search.chats(input);
        samples.push(performance.now() - start);
      }
      reportFigure(`search.chats ${name} p50`, percentile(samples, 50), 'ms', { hits: first.items.length });
      reportFigure(`search.chats ${name} p99`, percentile(samples, 99), 'ms');
    }

    for (const [pass, word, statement] of [
      ['recent window', 'kw7', walkSql(target.id, 'kw7', 250)],
      ['walk to the end', 'legacy', walkSql(target.id, 'legacy', 2_147_483_647)],
      ['index', rare.rows[0]?.word ?? 'rare1', indexedSql(target.id, rare.rows[0]?.word ?? 'rare1')],
    ] as const) {
      const plan = await sql<{ 'QUERY PLAN': string }>`explain (analyze, costs off) ${statement}`.execute(
        db(),
      );
      console.log(`  -- ${pass} pass, "${word}"`);
      console.log(plan.rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n'));
    }
  } finally {
    await app.stop();
  }
}

// The passes' chat selection, as src/server/search/search.repository.ts writes them (without snippets).
function walkSql(userId: string, word: string, window: number) {
  const query = sql`websearch_to_tsquery('public.chat_search', ${word})`;
  return sql`select page.id from (
      select c.id, c.user_id, c.title_search_vector, c.last_message_at from chat_sessions c
      where c.user_id = ${userId} order by c.last_message_at desc, c.id desc limit ${window}) page
    left join lateral (select m.id from chat_messages m
      where coalesce((select w.words is null or w.words @@ querytree(${query})::tsquery
                      from chat_session_words w where w.session_id = page.id), false)
        and m.session_id = page.id and m.user_id = page.user_id and (m.search_vector @@ ${query}) is true
      order by m.created_at desc, m.id desc limit 1) hit on true
    where page.title_search_vector @@ ${query} or hit.id is not null
    order by page.last_message_at desc, page.id desc limit 21`;
}

function indexedSql(userId: string, word: string) {
  const query = sql`websearch_to_tsquery('public.chat_search', ${word})`;
  return sql`with message_hits as materialized (
      select m.session_id from chat_messages m where m.user_id = ${userId} and m.search_vector @@ ${query}
      limit 1001)
    select (select count(*) from message_hits) > 1000 as capped, page.id
    from (select 1) one
    left join lateral (
      select s.id from chat_sessions s
      where s.user_id = ${userId} and (select count(*) from message_hits) <= 1000
        and s.id in (select session_id from message_hits
                     union
                     select t.id from chat_sessions t where t.user_id = ${userId} and t.title_search_vector @@ ${query})
      order by s.last_message_at desc, s.id desc
      limit 21) page on true`;
}
