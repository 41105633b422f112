import 'server-only';
import { sql } from 'kysely';
import { STOP_CHANNEL } from '../chat-engine/stop-signal';
import type { DB } from '../db';

/**
 * Rows are ordered by (created_at, id); clock_timestamp() keeps a question before its reply in one transaction.
 * Comparisons of that order stay in SQL: a JS Date would drop the microseconds that tell them apart.
 */
const orderedNow = sql<Date>`clock_timestamp()`;

export const chatRepository = Object.freeze({
  /** An earlier send with this clientMessageId, and the reply it started (an offline retry finds them). */
  async findSentMessage(db: DB, userId: string, clientMessageId: string) {
    return db
      .selectFrom('chat_messages as q')
      .leftJoin('chat_messages as a', (join) =>
        join.onRef('a.reply_to_id', '=', 'q.id').on('a.role', '=', 'assistant'),
      )
      .select(['q.id', 'q.session_id', 'a.id as reply_id'])
      .where('q.user_id', '=', userId)
      .where('q.client_message_id', '=', clientMessageId)
      .orderBy('a.created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  /** Locks the user's session row for the rest of the transaction (one send at a time per session). */
  async lockSession(db: DB, userId: string, sessionId: string) {
    return db
      .selectFrom('chat_sessions')
      .select(['id', 'model'])
      .where('id', '=', sessionId)
      .where('user_id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
  },

  /**
   * chat.send's writes in ONE statement, after the caller counted the send against the user's rate limit in
   * the same transaction. That counter row stays locked until commit and every send of the user takes it
   * first, so the user's sends run one after another and this statement's snapshot already sees the previous
   * one's reply: no session lock needed. It finds the user's session (or creates one when `sessionId` is
   * null), refuses when a reply there is still streaming, writes the question (idempotent by clientMessageId),
   * under the leaf of the path the session shows, the empty reply the engine fills under it (leased from now,
   * so the orphan sweep leaves it to its runner), and the session's last_message_at, model and shown leaf.
   * No row: not the user's session. `busy`: a reply is streaming, nothing written. `reply_id` null otherwise:
   * this clientMessageId was used before (the caller rolls back the new session, if any).
   */
  async sendQuestion(
    db: DB,
    userId: string,
    send: {
      sessionId: string | null;
      content: string;
      clientMessageId: string;
      /** The model asked for (already checked against the catalog), if any. */
      model: string | null;
      /** Ids a session's stored model may keep, and the default when it is none of them. */
      knownModels: readonly string[];
      defaultModel: string;
      leaseSeconds: number;
    },
  ) {
    const { rows } = await sql<{
      session_id: string;
      model: string;
      busy: boolean;
      parent_id: string | null;
      question_id: string | null;
      reply_id: string | null;
    }>`
      with existing as (
        select s.id, s.model,
               exists (select 1 from chat_messages m
                        where m.session_id = s.id and m.user_id = ${userId} and m.status = 'streaming') as busy,
               -- the question goes under the leaf of the path the chat shows (null: its newest message)
               coalesce(s.current_leaf_id,
                        (select m.id from chat_messages m where m.session_id = s.id and m.user_id = ${userId}
                          order by m.created_at desc, m.id desc limit 1)) as parent_id
          from chat_sessions s
         where s.id = ${send.sessionId}::uuid and s.user_id = ${userId}
      ), created as (
        insert into chat_sessions (user_id, model, last_message_at, request_count, request_window_start)
        select ${userId}, coalesce(${send.model}::text, ${send.defaultModel}), now(), 1, now()
         where ${send.sessionId}::uuid is null
        returning id, model
      ), target as (
        select id, busy, parent_id, coalesce(${send.model}::text,
                                  case when model = any(${[...send.knownModels]}::text[]) then model end,
                                  ${send.defaultModel}) as model
          from (select id, model, busy, parent_id from existing
                union all select id, model, false, null::uuid from created) found
      ), question as (
        insert into chat_messages
          (session_id, user_id, role, content, status, client_message_id, parent_id, created_at)
        select target.id, ${userId}, 'user', ${send.content}, 'complete', ${send.clientMessageId}, target.parent_id,
               clock_timestamp()
          from target where not target.busy
        on conflict (user_id, client_message_id) where client_message_id is not null do nothing
        returning id, created_at
      ), reply as (
        insert into chat_messages
          (session_id, user_id, role, content, status, stream_seq, model, reply_to_id, parent_id, lease_expires_at,
           created_at)
        select target.id, ${userId}, 'assistant', '', 'streaming', 0, target.model, question.id, question.id,
               now() + make_interval(secs => ${send.leaseSeconds}),
               -- strictly after its question, so (created_at, id) order never puts it first
               greatest(clock_timestamp(), question.created_at + interval '1 microsecond')
          from question, target
        returning id, reply_to_id
      ), touched as (
        -- an existing session only: a session created above already carries these values
        update chat_sessions set
          last_message_at = now(),
          updated_at = now(),
          model = (select model from target),
          current_leaf_id = (select id from reply),
          request_count = case when request_window_start > now() - interval '1 minute' then request_count + 1 else 1 end,
          request_window_start = case when request_window_start > now() - interval '1 minute'
                                      then request_window_start else now() end
        where id = (select id from existing) and user_id = ${userId} and exists (select 1 from reply)
      )
      select target.id as session_id, target.model, target.busy, target.parent_id,
             reply.reply_to_id as question_id, reply.id as reply_id
        from target left join reply on true`.execute(db);
    return rows[0];
  },

  /**
   * The empty reply the engine fills, under its question (beside any earlier replies to it); leased from now,
   * so the orphan sweep leaves it to its runner.
   */
  async insertReplyPlaceholder(
    db: DB,
    userId: string,
    sessionId: string,
    replyToId: string,
    model: string,
    leaseSeconds: number,
  ) {
    return db
      .insertInto('chat_messages')
      .values({
        session_id: sessionId,
        user_id: userId,
        role: 'assistant',
        content: '',
        status: 'streaming',
        stream_seq: 0,
        model,
        reply_to_id: replyToId,
        parent_id: replyToId,
        lease_expires_at: sql`now() + make_interval(secs => ${leaseSeconds})`,
        created_at: orderedNow,
      })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
  },

  async hasStreamingReply(db: DB, userId: string, sessionId: string): Promise<boolean> {
    const row = await db
      .selectFrom('chat_messages')
      .select('id')
      .where('user_id', '=', userId)
      .where('session_id', '=', sessionId)
      .where('status', '=', 'streaming')
      .executeTakeFirst();
    return row !== undefined;
  },

  /** After a new reply: the chat shows the path to it. */
  async touchSession(db: DB, userId: string, sessionId: string, model: string, currentLeafId: string) {
    await db
      .updateTable('chat_sessions')
      .set({
        last_message_at: sql`now()`,
        updated_at: sql`now()`,
        model,
        current_leaf_id: currentLeafId,
        // the seed's per-session counters, kept for reporting
        request_count: sql`case when request_window_start > now() - interval '1 minute' then request_count + 1 else 1 end`,
        request_window_start: sql`case when request_window_start > now() - interval '1 minute' then request_window_start else now() end`,
      })
      .where('id', '=', sessionId)
      .where('user_id', '=', userId)
      .execute();
  },

  async findMessage(db: DB, userId: string, messageId: string) {
    return db
      .selectFrom('chat_messages')
      .select(['id', 'session_id', 'role', 'status', 'reply_to_id', 'parent_id', 'model'])
      .where('id', '=', messageId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  },

  /** A question beside `sibling` (same parent): what chat.editAndResend asks instead, the original kept. */
  async insertSiblingQuestion(
    db: DB,
    userId: string,
    sibling: { session_id: string; parent_id: string | null },
    content: string,
  ) {
    return db
      .insertInto('chat_messages')
      .values({
        session_id: sibling.session_id,
        user_id: userId,
        role: 'user',
        content,
        status: 'complete',
        parent_id: sibling.parent_id,
        created_at: orderedNow,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
  },

  /**
   * The newest message under `messageId` (itself when it has none): a leaf, since a message is always written
   * after its parent. Switching to a branch shows the path the user last added to in it.
   */
  async findNewestLeafUnder(db: DB, userId: string, sessionId: string, messageId: string) {
    const { rows } = await sql<{ id: string }>`
      with recursive subtree as (
        select id, created_at from chat_messages
         where id = ${messageId} and session_id = ${sessionId} and user_id = ${userId}
        union all
        select child.id, child.created_at from chat_messages child
          join subtree on child.session_id = ${sessionId} and child.parent_id = subtree.id
      )
      select id from subtree order by created_at desc, id desc limit 1`.execute(db);
    return rows[0]?.id;
  },

  /** The leaf of the path the session shows. False when the session is not the user's. */
  async setCurrentLeaf(db: DB, userId: string, sessionId: string, leafId: string): Promise<boolean> {
    const result = await db
      .updateTable('chat_sessions')
      .set({ current_leaf_id: leafId })
      .where('id', '=', sessionId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  /**
   * Flags the user's streaming reply as stopped-by-request and NOTIFYs every engine; the runner (wherever it
   * is) finishes the row. Undefined when the reply is not the user's or no longer streaming.
   */
  async requestStop(db: DB, userId: string, messageId: string) {
    const row = await db
      .updateTable('chat_messages')
      .set({ stop_requested_at: sql`coalesce(stop_requested_at, now())` })
      .where('id', '=', messageId)
      .where('user_id', '=', userId)
      .where('role', '=', 'assistant')
      .where('status', '=', 'streaming')
      .returning([
        'id',
        'session_id',
        sql<boolean>`lease_expires_at is null or lease_expires_at < now()`.as('orphaned'),
      ])
      .executeTakeFirst();
    if (row) await sql`select pg_notify(${STOP_CHANNEL}, ${messageId})`.execute(db);
    return row;
  },

  /** Settles a reply no runner holds any more (its lease ran out): stopped, with its last checkpoint. */
  async stopOrphanedReply(db: DB, userId: string, messageId: string): Promise<boolean> {
    const result = await db
      .updateTable('chat_messages')
      .set({ status: 'stopped', lease_expires_at: null, updated_at: sql`now()` })
      .where('id', '=', messageId)
      .where('user_id', '=', userId)
      .where('status', '=', 'streaming')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  /** A reply of the user's as stored: its last checkpoint while it streams. */
  async findReplyText(db: DB, userId: string, messageId: string) {
    return db
      .selectFrom('chat_messages')
      .select(['id', 'content', 'stream_seq', 'status'])
      .where('id', '=', messageId)
      .where('user_id', '=', userId)
      .where('role', '=', 'assistant')
      .executeTakeFirst();
  },

  async findStatus(db: DB, userId: string, messageId: string) {
    return db
      .selectFrom('chat_messages')
      .select(['id', 'status'])
      .where('id', '=', messageId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  },
});
