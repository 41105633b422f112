import type { MessageRole, MessageStatus } from '../database-types';
import type { DB } from '../db';
import { type Page, toPage } from '../pagination/keyset-cursor';
import { sessionsService } from '../sessions/sessions.service';
import { type MessageRow, messagesRepository } from './messages.repository';
import type { ListMessagesInput } from './messages.schema';

export interface ChatMessage {
  id: string;
  sessionId: string;
  role: MessageRole;
  content: string;
  model: string | null;
  status: MessageStatus;
  /** The last streamed delta already included in `content`. */
  streamSeq: number;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

function toChatMessage(row: MessageRow): ChatMessage {
  return {
    id: row.id,
    sessionId: row.session_id,
    role: row.role,
    content: row.content,
    model: row.model,
    status: row.status,
    streamSeq: row.stream_seq,
    metadata: row.metadata,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export const messagesService = Object.freeze({
  async list(db: DB, userId: string, input: ListMessagesInput): Promise<Page<ChatMessage>> {
    // Not-found for a session that is not the user's, whether it exists or not.
    await sessionsService.get(db, userId, input.sessionId);
    const rows = await messagesRepository.listInSession(db, userId, input.sessionId, {
      cursor: input.cursor,
      limit: input.limit + 1,
    });
    return toPage(rows, input.limit, toChatMessage);
  },
});
