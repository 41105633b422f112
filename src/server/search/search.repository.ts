import 'server-only';
import { type RawBuilder, sql } from 'kysely';
import type { DB } from '../db';
import type { KeysetCursor } from '../pagination/keyset-cursor';
import { HIT_END, HIT_START } from './highlight-markers';

/**
 * The search walks the user's chats newest first and stops at a full page, unless the words are sparse,
 * where it asks the GIN index for every hit instead. Walking costs a look at each chat passed over; the index
 * costs a row read for each hit. So: walk the most recent RECENT_WINDOW chats (enough for a word in most
 * chats, like "configured" in every demo reply); failing that, take the hits from the index if there are at
 * most INDEX_HIT_LIMIT; failing that (a common word, but not in recent chats), walk on to the end.
 */
const RECENT_WINDOW = 100;
const INDEX_HIT_LIMIT = 3000;

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

function olderThan(cursor: KeysetCursor | undefined, alias: string): RawBuilder<boolean> {
  if (!cursor) return sql<boolean>`true`;
  return sql<boolean>`(${sql.ref(`${alias}.last_message_at`)}, ${sql.ref(`${alias}.id`)}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`;
}

/** The page's chats (`matches`: id, title, last_message_at, user_id) with their marked title and newest hit. */
function withHits(matches: RawBuilder<unknown>, query: RawBuilder<unknown>, limit: number) {
  return sql<ChatHitRow>`
    select page.id, page.title, page.last_message_at, page.last_message_at::text as cursor_at,
      case when page.title_search_vector @@ ${query}
           then ts_headline('public.chat_search', translate(page.title, ${HIT_START + HIT_END}, ''), ${query},
                            ${`${HEADLINE_OPTIONS}, HighlightAll=true`})
      end as marked_title,
      hit.id as message_id, hit.role as message_role,
      ts_headline('public.chat_search', translate(hit.content, ${HIT_START + HIT_END}, ''), ${query},
                  ${HEADLINE_OPTIONS}) as marked_snippet
    from (${matches}) page
    left join lateral (
      select m.id, m.role, m.content from chat_messages m
      where m.session_id = page.id and m.user_id = page.user_id and m.search_vector @@ ${query}
      order by m.created_at desc, m.id desc
      limit 1
    ) hit on true
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
    const walk = (window: number | null) =>
      withHits(
        sql`select s.id, s.user_id, s.title, s.title_search_vector, s.last_message_at
            from (select id, user_id, title, title_search_vector, last_message_at from chat_sessions c
                  where c.user_id = ${userId} and ${olderThan(page.cursor, 'c')}
                  order by c.last_message_at desc, c.id desc
                  ${window === null ? sql`` : sql`limit ${window}`}) s
            where s.title_search_vector @@ ${query}
               or exists (select 1 from chat_messages m
                          where m.session_id = s.id and m.user_id = ${userId} and m.search_vector @@ ${query})
            order by s.last_message_at desc, s.id desc
            limit ${page.limit}`,
        query,
        page.limit,
      ).execute(db);

    const recent = await walk(RECENT_WINDOW);
    if (recent.rows.length === page.limit) return recent.rows;

    // Materialized: the capped hit list is read once, never turned into a join walked chat by chat.
    const indexed = await sql<{ capped: boolean; id: string | null }>`
      with message_hits as materialized (
        select m.session_id from chat_messages m
        where m.user_id = ${userId} and m.search_vector @@ ${query}
        limit ${INDEX_HIT_LIMIT + 1})
      select (select count(*) from message_hits) > ${INDEX_HIT_LIMIT} as capped, page.id
      from (select 1) one
      left join lateral (
        select s.id from chat_sessions s
        where s.user_id = ${userId} and ${olderThan(page.cursor, 's')}
          and (select count(*) from message_hits) <= ${INDEX_HIT_LIMIT}
          and s.id in (select session_id from message_hits
                       union
                       select t.id from chat_sessions t
                       where t.user_id = ${userId} and t.title_search_vector @@ ${query})
        order by s.last_message_at desc, s.id desc
        limit ${page.limit}) page on true`.execute(db);
    if (indexed.rows[0]?.capped) return (await walk(null)).rows;

    const ids = indexed.rows.flatMap((row) => (row.id ? [row.id] : []));
    if (ids.length === 0) return [];
    const found = await withHits(
      sql`select s.id, s.user_id, s.title, s.title_search_vector, s.last_message_at from chat_sessions s
          where s.user_id = ${userId} and s.id = any(${ids}::uuid[])`,
      query,
      page.limit,
    ).execute(db);
    return found.rows;
  },
});
