import 'server-only';
import { type RawBuilder, sql } from 'kysely';
import type { DB } from '../db';
import type { KeysetCursor } from '../pagination/keyset-cursor';
import { HIT_END, HIT_START } from './highlight-markers';

/**
 * How many of the user's most recent chats the first pass looks through, one by one, before asking the
 * index for every hit. A word in most chats ("configured" in every demo reply) fills a page within a few
 * chats this way, where collecting its tens of thousands of hits from the index would read every one of
 * them; a rare word finds too few here and goes to the index, which is cheap for few hits.
 */
const RECENT_WINDOW = 200;

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
    const chatMatches = (alias: string) => sql<boolean>`(
      ${sql.ref(`${alias}.title_search_vector`)} @@ ${query}
      or exists (select 1 from chat_messages m
                 where m.session_id = ${sql.ref(`${alias}.id`)} and m.user_id = ${userId}
                   and m.search_vector @@ ${query}))`;

    const recent = await withHits(
      sql`select s.id, s.user_id, s.title, s.title_search_vector, s.last_message_at
          from (select id, user_id, title, title_search_vector, last_message_at from chat_sessions c
                where c.user_id = ${userId} and ${olderThan(page.cursor, 'c')}
                order by c.last_message_at desc, c.id desc
                limit ${RECENT_WINDOW}) s
          where ${chatMatches('s')}
          order by s.last_message_at desc, s.id desc
          limit ${page.limit}`,
      query,
      page.limit,
    ).execute(db);
    if (recent.rows.length === page.limit) return recent.rows;

    // Too few in the recent window: the hits are sparse, so collect them all from the GIN indexes.
    const indexed = await withHits(
      sql`select s.id, s.user_id, s.title, s.title_search_vector, s.last_message_at
          from chat_sessions s
          where s.user_id = ${userId} and ${olderThan(page.cursor, 's')}
            and s.id in (select m.session_id from chat_messages m
                         where m.user_id = ${userId} and m.search_vector @@ ${query}
                         union all
                         select t.id from chat_sessions t
                         where t.user_id = ${userId} and t.title_search_vector @@ ${query})
          order by s.last_message_at desc, s.id desc
          limit ${page.limit}`,
      query,
      page.limit,
    ).execute(db);
    return indexed.rows;
  },
});
