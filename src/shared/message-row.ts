/**
 * A chat message as the app shows it, and the one mapping from its chat_messages row: the server reads rows
 * through Kysely (timestamps as Date), the browser receives them from Realtime (JSON, timestamps as text).
 */
import type { ReplyStatus } from './reply-stream';

type Timestamp = Date | string;

export type MessageRole = 'user' | 'assistant' | 'system';

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
  status: ReplyStatus;
  /** The last streamed delta already included in `content`. */
  streamSeq: number;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  /** Null when the message has no other version (or, from a row event, when that is not known). */
  branch: MessageBranch | null;
}

/** The chat_messages columns a message is shown from, in the database's own names. */
export interface MessageRecord {
  id: string;
  session_id: string;
  parent_id: string | null;
  role: MessageRole;
  content: string;
  model: string | null;
  status: ReplyStatus;
  stream_seq: number;
  metadata: Record<string, unknown> | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

function toDate(value: Timestamp): Date {
  return value instanceof Date ? value : new Date(value);
}

/**
 * `siblingIds`: the message and its siblings (same parent), oldest first, when the reader knows them (the
 * server's path query does; a Realtime row event does not, and says null).
 */
export function toChatMessage(record: MessageRecord, siblingIds: readonly string[] | null): ChatMessage {
  return {
    id: record.id,
    sessionId: record.session_id,
    parentId: record.parent_id ?? null,
    role: record.role,
    content: record.content,
    model: record.model,
    status: record.status,
    streamSeq: record.stream_seq,
    metadata: record.metadata ?? {},
    createdAt: toDate(record.created_at),
    updatedAt: toDate(record.updated_at),
    branch:
      siblingIds && siblingIds.length > 1
        ? { index: siblingIds.indexOf(record.id) + 1, count: siblingIds.length, siblingIds: [...siblingIds] }
        : null,
  };
}
