import 'server-only';
import { type ChatMessage, toChatMessage } from '@/shared/message-row';
import type { DB } from '../db';
import { type Page, toPage } from '../pagination/keyset-cursor';
import { sessionsService } from '../sessions/sessions.service';
import { type MessageRow, messagesRepository } from './messages.repository';
import type { ListMessagesInput } from './messages.schema';

function toShownMessage(row: MessageRow): ChatMessage {
  return toChatMessage(row, row.sibling_ids ?? [row.id]);
}

export const messagesService = Object.freeze({
  /** The path the chat shows (the versions the user last chose), oldest first, with each message's versions. */
  async list(db: DB, userId: string, input: ListMessagesInput): Promise<Page<ChatMessage>> {
    // Not-found for a session that is not the user's, whether it exists or not.
    await sessionsService.get(db, userId, input.sessionId);
    if (input.newest) {
      const rows = await messagesRepository.listShownPath(db, userId, input.sessionId, {
        limit: input.limit,
        newest: true,
      });
      return { items: rows.map(toShownMessage), nextCursor: null };
    }
    const rows = await messagesRepository.listShownPath(db, userId, input.sessionId, {
      cursor: input.cursor,
      limit: input.limit + 1,
    });
    return toPage(rows, input.limit, toShownMessage);
  },
});
