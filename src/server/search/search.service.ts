import 'server-only';
import type { DB } from '../db';
import { type Page, toPage } from '../pagination/keyset-cursor';
import { type HighlightedText, parseHighlightMarkers } from './highlight-markers';
import { type ChatHitRow, searchRepository } from './search.repository';
import type { SearchChatsInput } from './search.schema';

export interface ChatSearchHit {
  sessionId: string;
  title: HighlightedText;
  lastMessageAt: Date;
  /** The newest matching message of the chat, or null when only its title matches. */
  message: { id: string; role: string; snippet: HighlightedText } | null;
}

function toChatSearchHit(row: ChatHitRow): ChatSearchHit {
  return {
    sessionId: row.id,
    title: row.marked_title ? parseHighlightMarkers(row.marked_title) : { text: row.title, highlights: [] },
    lastMessageAt: row.last_message_at,
    message:
      row.message_id && row.message_role && row.marked_snippet !== null
        ? { id: row.message_id, role: row.message_role, snippet: parseHighlightMarkers(row.marked_snippet) }
        : null,
  };
}

export const searchService = Object.freeze({
  async chats(db: DB, userId: string, input: SearchChatsInput): Promise<Page<ChatSearchHit>> {
    // One extra row tells whether another page exists.
    const rows = await searchRepository.chats(db, userId, input.query, {
      cursor: input.cursor,
      limit: input.limit + 1,
    });
    return toPage(rows, input.limit, toChatSearchHit);
  },
});
