import 'server-only';
import { sql } from 'kysely';
import type { MessageRecord } from '@/shared/message-row';
import type { DB } from '../db';
import type { KeysetCursor } from '../pagination/keyset-cursor';

/** A message of the shown path as its query reads it: the shared record, with its keyset and its siblings. */
export interface MessageRow extends MessageRecord {
  metadata: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  cursor_at: string;
  /** The message and its siblings (same parent), oldest first. */
  sibling_ids: string[];
}

export const messagesRepository = Object.freeze({
  /**
   * The path the session shows, oldest first: from its leaf (`current_leaf_id`, else the newest message) up to
   * the root. Keyset on (created_at, id), which rises along any path (a message is written after its parent).
   * Each row carries its siblings, read by index (session_id, parent_id, created_at, id) for the page's rows only.
   * `newest`: the last `limit` messages of the path instead of the first after the cursor.
   */
  async listShownPath(
    db: DB,
    userId: string,
    sessionId: string,
    page: { cursor?: KeysetCursor; limit: number; newest?: boolean },
  ): Promise<MessageRow[]> {
    const after = page.cursor
      ? sql`where (m.created_at, m.id) > (${page.cursor.at}::timestamptz, ${page.cursor.id}::uuid)`
      : sql``;
    const { rows } = await sql<MessageRow>`
      with recursive shown as (
        select coalesce(s.current_leaf_id,
                        (select m.id from chat_messages m where m.session_id = s.id and m.user_id = ${userId}
                          order by m.created_at desc, m.id desc limit 1)) as leaf_id
          from chat_sessions s
         where s.id = ${sessionId} and s.user_id = ${userId}
      ), path as (
        select m.id, m.parent_id from chat_messages m join shown on m.id = shown.leaf_id
         where m.user_id = ${userId} and m.session_id = ${sessionId}
        union all
        -- the foreign key keeps a parent in its child's session
        select m.id, m.parent_id from chat_messages m join path on m.id = path.parent_id
      ), paged as (
        select m.id, m.session_id, m.parent_id, m.role, m.content, m.model, m.status, m.stream_seq, m.metadata,
               m.created_at, m.updated_at, m.created_at::text as cursor_at
          from path join chat_messages m on m.id = path.id
          ${after}
         order by ${page.newest ? sql`m.created_at desc, m.id desc` : sql`m.created_at, m.id`}
         limit ${page.limit}
      )
      select paged.*, siblings.ids as sibling_ids
        from paged
        cross join lateral (
          select array_agg(s.id::text order by s.created_at, s.id) as ids
            from (select id, created_at from chat_messages
                   where session_id = paged.session_id and parent_id = paged.parent_id
                  union all
                  select id, created_at from chat_messages
                   where paged.parent_id is null and session_id = paged.session_id and parent_id is null) s
        ) siblings
       order by paged.created_at, paged.id`.execute(db);
    return rows;
  },
});
