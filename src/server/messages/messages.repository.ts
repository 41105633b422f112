import { sql } from 'kysely';
import type { DB } from '../db';
import type { KeysetCursor } from '../pagination/keyset-cursor';

const columns = [
  'id',
  'session_id',
  'role',
  'content',
  'model',
  'status',
  'stream_seq',
  'metadata',
  'created_at',
  'updated_at',
] as const;

export type MessageRow = Awaited<ReturnType<typeof messagesRepository.listInSession>>[number];

export const messagesRepository = Object.freeze({
  /** Oldest first; keyset on (created_at, id), served by index (session_id, created_at, id). */
  async listInSession(
    db: DB,
    userId: string,
    sessionId: string,
    page: { cursor?: KeysetCursor; limit: number },
  ) {
    let query = db
      .selectFrom('chat_messages')
      .select(columns)
      .select(sql<string>`created_at::text`.as('cursor_at'))
      .where('user_id', '=', userId)
      .where('session_id', '=', sessionId);
    if (page.cursor) {
      query = query.where(
        sql<boolean>`(created_at, id) > (${page.cursor.at}::timestamptz, ${page.cursor.id}::uuid)`,
      );
    }
    return query.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(page.limit).execute();
  },
});
