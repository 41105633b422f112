import 'server-only';
import { sql } from 'kysely';
import type { DB } from '../db';

/** A word in at least this share of all chats is common: walking finds a page after ~1/share chats. */
export const COMMON_CHAT_SHARE = 0.01;
/** The statistics move with ANALYZE (autovacuum), not with each search: read them this often at most. */
const REFRESH_MS = 10 * 60_000;

let cached: { readAt: number; lexemes: Promise<string[]> } | null = null;

/**
 * The lexemes ANALYZE found in at least COMMON_CHAT_SHARE of chats (chat_session_words.words, migration
 * 0023), kept in memory: planning a query over pg_stats costs a few milliseconds, more than the search it
 * steers. Empty without statistics (a new database) or without the right to read them: then no word is
 * common, and the search asks the index first, as before 0023.
 */
export function commonLexemes(db: DB): Promise<string[]> {
  const now = Date.now();
  if (!cached || now - cached.readAt > REFRESH_MS) {
    const lexemes = readCommonLexemes(db).catch(() => []);
    cached = { readAt: now, lexemes };
  }
  return cached.lexemes;
}

async function readCommonLexemes(db: DB): Promise<string[]> {
  const { rows } = await sql<{ lexeme: string }>`
    select e.lexeme
    from pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) e(lexeme, share)
    where s.schemaname = 'public' and s.tablename = 'chat_session_words' and s.attname = 'words'
      and e.share >= ${COMMON_CHAT_SHARE}`.execute(db);
  return rows.map((row) => row.lexeme);
}
