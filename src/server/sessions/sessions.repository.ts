import { sql } from 'kysely';
import { SESSION_COLUMNS } from '@/shared/session-row';
import type { DB } from '../db';
import type { KeysetCursor } from '../pagination/keyset-cursor';

const columns = SESSION_COLUMNS;

export type SessionRow = Awaited<ReturnType<typeof sessionsRepository.find>> & {};

/** `%`, `_` and `\` typed by a user are literal characters, not LIKE wildcards. */
function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export const sessionsRepository = Object.freeze({
  /** Newest activity first; keyset on (last_message_at, id), served by index (user_id, last_message_at desc, id desc). */
  async list(db: DB, userId: string, page: { cursor?: KeysetCursor; limit: number; search?: string }) {
    let query = db
      .selectFrom('chat_sessions')
      .select(columns)
      .select(sql<string>`last_message_at::text`.as('cursor_at'))
      .where('user_id', '=', userId);
    if (page.cursor) {
      query = query.where(
        sql<boolean>`(last_message_at, id) < (${page.cursor.at}::timestamptz, ${page.cursor.id}::uuid)`,
      );
    }
    if (page.search) query = query.where('title', 'ilike', likePattern(page.search));
    return query.orderBy('last_message_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
  },

  async find(db: DB, userId: string, id: string) {
    return db
      .selectFrom('chat_sessions')
      .select(columns)
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
  },

  async insert(db: DB, userId: string, values: { title?: string; model?: string | null }) {
    return db
      .insertInto('chat_sessions')
      .values({
        user_id: userId,
        ...(values.title ? { title: values.title } : {}),
        model: values.model ?? null,
      })
      .returning(columns)
      .executeTakeFirstOrThrow();
  },

  async update(db: DB, userId: string, id: string, changes: { title?: string; pinnedAt?: Date | null }) {
    return db
      .updateTable('chat_sessions')
      .set({
        ...(changes.title !== undefined ? { title: changes.title } : {}),
        ...(changes.pinnedAt !== undefined ? { pinned_at: changes.pinnedAt } : {}),
        updated_at: new Date(),
      })
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .returning(columns)
      .executeTakeFirst();
  },

  /** Deletes the session; its messages go with it (on delete cascade). */
  async delete(db: DB, userId: string, id: string): Promise<boolean> {
    const result = await db
      .deleteFrom('chat_sessions')
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  },
});
