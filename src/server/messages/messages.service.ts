import 'server-only';
import type { MessageRole, MessageStatus } from '../database-types';
import type { DB } from '../db';
import { type Page, toPage } from '../pagination/keyset-cursor';
import { sessionsService } from '../sessions/sessions.service';
import { type MessageRow, messagesRepository } from './messages.repository';
import type { ListMessagesInput } from './messages.schema';

/** Where a message sits among its versions (the edits of a question, the regenerations of a reply). */
export interface MessageBranch {
  /** 1-based position among the versions, oldest first. */
  index: number;
  count: number;
  /** Every version's id, oldest first (this message's included): what chat.switchBranch takes. */
  siblingIds: string[];
}

export interface ChatMessage {
  id: string;
  sessionId: string;
  /** The message this one follows; null for the first question. */
  parentId: string | null;
  role: MessageRole;
  content: string;
  model: string | null;
  status: MessageStatus;
  /** The last streamed delta already included in `content`. */
  streamSeq: number;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  /** Null when the message has no other version. */
  branch: MessageBranch | null;
}

function toChatMessage(row: MessageRow): ChatMessage {
  const siblingIds = row.sibling_ids ?? [row.id];
  return {
    id: row.id,
    sessionId: row.session_id,
    parentId: row.parent_id,
    role: row.role,
    content: row.content,
    model: row.model,
    status: row.status,
    streamSeq: row.stream_seq,
    metadata: row.metadata,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    branch:
      siblingIds.length > 1
        ? { index: siblingIds.indexOf(row.id) + 1, count: siblingIds.length, siblingIds }
        : null,
  };
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
      return { items: rows.map(toChatMessage), nextCursor: null };
    }
    const rows = await messagesRepository.listShownPath(db, userId, input.sessionId, {
      cursor: input.cursor,
      limit: input.limit + 1,
    });
    return toPage(rows, input.limit, toChatMessage);
  },
});
