import 'server-only';
import { type RawBuilder, sql } from 'kysely';
import type { DB } from '../db';
import type { KeysetCursor } from '../pagination/keyset-cursor';
import { commonLexemes } from './common-lexemes';
import { HIT_END, HIT_START } from './highlight-markers';

/**
 * The search walks the user's chats newest first and stops at a full page, unless the words are sparse,
 * where it asks the GIN index over messages for every hit instead. Walking costs one chat row for each chat
 * passed over: a chat is ruled out by its own words (chat_session_words, migration 0023), and only
 * a chat that may match has its messages read. The index costs a posting for every message of the user with
 * the word (all of them: a GIN scan cannot stop early), and a row read for each hit.
 *
 * So: walk the most recent RECENT_WINDOW chats, enough for a word in one chat of five. Failing that, the word
 * is rarer, or common in older chats only; the statistics of chat_session_words tell which (common-lexemes.ts).
 * A common word (in at least 1% of chats) makes the walk go on to the end: it finds a page after ~100 chats
 * where the index would list ~1% of all the user's messages. A rarer word takes the index, as long as it has
 * at most INDEX_HIT_LIMIT hits for the user; beyond that, the walk again.
 *
 * bench/message-search.bench.ts (10k chats of 10 messages): a word in the 9000 oldest chats took ~300 ms
 * when passing a chat meant reading its messages, and the GIN index alone takes ~80 ms to list its 45k hits;
 * the walk now passes the 1000 newest chats in a few milliseconds. A first window of 250 chats instead of 100
 * made rare words slower (the window is walked in vain before the index) and nothing faster.
 */
const RECENT_WINDOW = 100;
const INDEX_HIT_LIMIT = 1000;
/**
 * The walk to the end is still a subquery with a limit: without one the planner reads and sorts all the
 * user's chats (it cannot tell the page fills early); with one it walks chat_sessions_user_recent_idx.
 */
const ALL_CHATS = 2_147_483_647;

const HEADLINE_OPTIONS = `StartSel=${HIT_START}, StopSel=${HIT_END}, MaxFragments=1, MaxWords=24, MinWords=8, FragmentDelimiter=" … "`;

export interface SearchPage {
  cursor?: KeysetCursor;
  limit: number;
}

export interface ChatHitRow {
  id: string;
  title: string;
  last_message_at: Date;
  cursor_at: string;
  /** The title with hits marked; null when the title does not match. */
  marked_title: string | null;
  message_id: string | null;
  message_role: string | null;
  /** An excerpt of the newest matching message with hits marked; null when only the title matches. */
  marked_snippet: string | null;
}

function tsQuery(text: string): RawBuilder<unknown> {
  return sql`websearch_to_tsquery('public.chat_search', ${text})`;
}

/**
 * Whether chat `alias` may hold a message matching `query`, from its words alone (chat_session_words): a
 * necessary condition, never a sufficient one. No row: no finished message; words null: not known.
 * querytree() keeps the part of a query an index can answer ("-word" dropped: another message of the chat may
 * hold the word), 'T' when that is nothing. The words have no positions, so each phrase operator (<-> or <n>)
 * becomes & ("all these words"; as a phrase it would match nothing there): the query's text is cut into
 * quoted lexemes (kept whole: unaccent can put spaces and "<<" in a lexeme) and operators, once per query.
 */
function mayMatch(alias: string, query: RawBuilder<unknown>): RawBuilder<boolean> {
  const withoutPhrases = sql`(
    select string_agg(coalesce(part[1], case when part[2] is not null then '&' end, part[3]), ' ' order by n)::tsquery
    from regexp_matches(querytree(${query}), '(''(?:[^'']|'''')*'')|(<(?:-|[0-9]+)>)|([()&|!])', 'g')
         with ordinality as parts(part, n))`;
  return sql<boolean>`(case querytree(${query}) when 'T' then true
    else coalesce((select w.words is null or w.words @@ ${withoutPhrases}
                   from chat_session_words w where w.session_id = ${sql.ref(`${alias}.id`)}), false) end)`;
}

/**
 * Whether every word the query requires is common (commonLexemes). A query requiring no word ("-word") is
 * common: most chats match it.
 */
function wordsAreCommon(query: RawBuilder<unknown>, common: string[]): RawBuilder<boolean> {
  return sql<boolean>`(querytree(${query}) = 'T' or coalesce((
    select bool_and(replace(word[1], '''''', '''') = any(${common}::text[]))
    from regexp_matches(querytree(${query}), '''((?:[^'']|'''')*)''', 'g') word), false))`;
}

function olderThan(cursor: KeysetCursor | undefined, alias: string): RawBuilder<boolean> {
  if (!cursor) return sql<boolean>`true`;
  return sql<boolean>`(${sql.ref(`${alias}.last_message_at`)}, ${sql.ref(`${alias}.id`)}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`;
}

/**
 * Of `chats` (newest first: id, user_id, title, title_search_vector, last_message_at), the ones whose title
 * or a message matches, with the marked title and the newest hit, up to `limit`. Chat by chat, stopping at
 * `limit`; a chat's messages are read only when its words may match.
 */
function withHits(chats: RawBuilder<unknown>, query: RawBuilder<unknown>, limit: number) {
  return sql<ChatHitRow>`
    select page.id, page.title, page.last_message_at, page.last_message_at::text as cursor_at,
      case when page.title_search_vector @@ ${query}
           then ts_headline('public.chat_search', translate(page.title, ${HIT_START + HIT_END}, ''), ${query},
                            ${`${HEADLINE_OPTIONS}, HighlightAll=true`})
      end as marked_title,
      hit.id as message_id, hit.role as message_role,
      ts_headline('public.chat_search', translate(hit.content, ${HIT_START + HIT_END}, ''), ${query},
                  ${HEADLINE_OPTIONS}) as marked_snippet
    from (${chats}) page
    left join lateral (
      -- The chat's messages newest first, never the GIN index ("is true" hides the match from it): the
      -- index would list every hit of the user, for each chat.
      select m.id, m.role, m.content from chat_messages m
      where ${mayMatch('page', query)}
        and m.session_id = page.id and m.user_id = page.user_id and (m.search_vector @@ ${query}) is true
      order by m.created_at desc, m.id desc
      limit 1
    ) hit on true
    where page.title_search_vector @@ ${query} or hit.id is not null
    order by page.last_message_at desc, page.id desc
    limit ${limit}`;
}

export const searchRepository = Object.freeze({
  /**
   * The user's chats whose title or any finished message matches `text` (websearch syntax: words, "phrases",
   * or, -not), newest activity first; keyset on (last_message_at, id) like the chat list.
   */
  async chats(db: DB, userId: string, text: string, page: SearchPage): Promise<ChatHitRow[]> {
    const query = tsQuery(text);
    const walk = (window: number) =>
      withHits(
        sql`select c.id, c.user_id, c.title, c.title_search_vector, c.last_message_at
            from chat_sessions c
            where c.user_id = ${userId} and ${olderThan(page.cursor, 'c')}
            order by c.last_message_at desc, c.id desc
            limit ${window}`,
        query,
        page.limit,
      ).execute(db);

    const recent = await walk(RECENT_WINDOW);
    if (recent.rows.length === page.limit) return recent.rows;

    const common = await commonLexemes(db);
    // Materialized: the capped hit list is read once, never turned into a join walked chat by chat; and not
    // at all when the words are common.
    const indexed = await sql<{ capped: boolean; id: string | null }>`
      with common as materialized (select ${wordsAreCommon(query, common)} as yes),
      message_hits as materialized (
        select m.session_id from chat_messages m
        where not (select yes from common) and m.user_id = ${userId} and m.search_vector @@ ${query}
        limit ${INDEX_HIT_LIMIT + 1})
      select (select yes from common) or (select count(*) from message_hits) > ${INDEX_HIT_LIMIT} as capped,
        page.id
      from (select 1) one
      left join lateral (
        select s.id from chat_sessions s
        where s.user_id = ${userId} and ${olderThan(page.cursor, 's')}
          and not (select yes from common) and (select count(*) from message_hits) <= ${INDEX_HIT_LIMIT}
          and s.id in (select session_id from message_hits
                       union
                       select t.id from chat_sessions t
                       where t.user_id = ${userId} and t.title_search_vector @@ ${query})
        order by s.last_message_at desc, s.id desc
        limit ${page.limit}) page on true`.execute(db);
    if (indexed.rows[0]?.capped) return (await walk(ALL_CHATS)).rows;

    const ids = indexed.rows.flatMap((row) => (row.id ? [row.id] : []));
    if (ids.length === 0) return [];
    const found = await withHits(
      sql`select s.id, s.user_id, s.title, s.title_search_vector, s.last_message_at
          from chat_sessions s
          where s.user_id = ${userId} and s.id = any(${ids}::uuid[])
          order by s.last_message_at desc, s.id desc`,
      query,
      page.limit,
    ).execute(db);
    return found.rows;
  },
});
