import 'server-only';
import { sql } from 'kysely';
import type { MessageStatus } from '../database-types';
import type { DB } from '../db';

export interface HistoryMessage {
  role: 'user' | 'assistant' | 'system';
  content: string;
}

/** SQL of the chat engine: what a runner reads before calling the model and what it writes while streaming. */
export const replyRepository = Object.freeze({
  /** The reply placeholder with its session's prompt choice; undefined once it is no longer streaming. */
  async findStreamingReply(db: DB, messageId: string) {
    return db
      .selectFrom('chat_messages as m')
      .innerJoin('chat_sessions as s', 's.id', 'm.session_id')
      .select(['m.id', 'm.session_id', 'm.user_id', 'm.model', 'm.stop_requested_at', 's.system_prompt_id'])
      .where('m.id', '=', messageId)
      .where('m.status', '=', 'streaming')
      .executeTakeFirst();
  },

  /** The session's system prompt, else the user's default, else the global default. */
  async findSystemPrompt(db: DB, userId: string, promptId: string | null): Promise<string | undefined> {
    const row = await db
      .selectFrom('system_prompts')
      .select('content')
      .where((eb) =>
        eb.or([
          ...(promptId
            ? [
                eb.and([
                  eb('id', '=', promptId),
                  eb.or([eb('user_id', '=', userId), eb('user_id', 'is', null)]),
                ]),
              ]
            : []),
          eb.and([eb('user_id', '=', userId), eb('is_default', '=', true)]),
          eb.and([eb('user_id', 'is', null), eb('is_default', '=', true)]),
        ]),
      )
      .orderBy(sql`case when id = ${promptId} then 0 when user_id is not null then 1 else 2 end`)
      .limit(1)
      .executeTakeFirst();
    return row?.content;
  },

  /**
   * What a reply to a message being sent now needs, in ONE statement read while chat.send's transaction
   * commits: the system prompt (session's, else the user's default, else the global default), the leaf of the
   * path the session shows (where the question will go) and that path's messages, newest first, with their
   * status, and whether the message was sent before (a retry). No session (a new chat): the prompt alone.
   */
  async findSendContext(
    db: DB,
    userId: string,
    sessionId: string | null,
    clientMessageId: string,
    limit: number,
  ) {
    const { rows } = await sql<{
      instructions: string | null;
      model: string | null;
      sent_before: boolean;
      leaf_id: string | null;
      history: { role: HistoryMessage['role']; content: string; status: MessageStatus }[];
    }>`
      with recursive shown as (
        select s.id, s.system_prompt_id, s.model,
               coalesce(s.current_leaf_id,
                        (select m.id from chat_messages m where m.session_id = s.id and m.user_id = ${userId}
                          order by m.created_at desc, m.id desc limit 1)) as leaf_id
          from chat_sessions s
         where s.id = ${sessionId}::uuid and s.user_id = ${userId}
      ), path as (
        select m.id, m.parent_id, m.role, m.content, m.status, 1 as depth
          from chat_messages m join shown on m.id = shown.leaf_id
         where m.user_id = ${userId}
        union all
        -- the foreign key keeps a parent in its child's session
        select m.id, m.parent_id, m.role, m.content, m.status, path.depth + 1
          from chat_messages m join path on m.id = path.parent_id
         where path.depth < ${limit}
      )
      select
        (select p.content from system_prompts p
          where (p.id = s.system_prompt_id and (p.user_id = ${userId} or p.user_id is null))
             or (p.user_id = ${userId} and p.is_default)
             or (p.user_id is null and p.is_default)
          order by case when p.id = s.system_prompt_id then 0 when p.user_id is not null then 1 else 2 end
          limit 1) as instructions,
        s.model,
        exists (select 1 from chat_messages m
                 where m.user_id = ${userId} and m.client_message_id = ${clientMessageId}) as sent_before,
        s.leaf_id,
        (select coalesce(json_agg(json_build_object('role', h.role, 'content', h.content, 'status', h.status)
                                  order by h.depth), '[]'::json)
           from path h where h.content <> '') as history
      from (select ${sessionId}::uuid as id) wanted
      left join shown s on s.id = wanted.id`.execute(db);
    return rows[0] ?? { instructions: null, model: null, sent_before: false, leaf_id: null, history: [] };
  },

  /** The path the reply answers (its question, and what led to it), newest first; the caller trims it. */
  async listHistoryBefore(db: DB, userId: string, sessionId: string, replyId: string, limit: number) {
    const { rows } = await sql<HistoryMessage>`
      with recursive path as (
        select question.id, question.parent_id, question.role, question.content, 1 as depth
          from chat_messages reply join chat_messages question on question.id = reply.parent_id
         where reply.id = ${replyId} and reply.user_id = ${userId} and reply.session_id = ${sessionId}
        union all
        -- the foreign key keeps a parent in its child's session
        select m.id, m.parent_id, m.role, m.content, path.depth + 1
          from chat_messages m join path on m.id = path.parent_id
         where path.depth < ${limit}
      )
      select role, content from path where content <> '' order by depth`.execute(db);
    return rows;
  },

  /**
   * Stores streamed text up to `seq` and renews the lease. Returns whether a stop was asked for; undefined
   * when the row is gone or no longer streaming (deleted, or settled by someone else).
   */
  async checkpoint(
    db: DB,
    messageId: string,
    progress: { content: string; seq: number } | null,
    leaseSeconds: number,
  ) {
    const row = await db
      .updateTable('chat_messages')
      .set({
        ...(progress ? { content: progress.content, stream_seq: progress.seq } : {}),
        lease_expires_at: sql`now() + make_interval(secs => ${leaseSeconds})`,
        updated_at: sql`now()`,
      })
      .where('id', '=', messageId)
      .where('status', '=', 'streaming')
      .returning(['stop_requested_at'])
      .executeTakeFirst();
    return row ? { stopRequested: row.stop_requested_at !== null } : undefined;
  },

  /** The final write: content, status, model and metadata; only if the reply is still streaming. */
  async finish(
    db: DB,
    messageId: string,
    result: {
      content: string;
      seq: number;
      status: MessageStatus;
      model: string;
      metadata: Record<string, unknown>;
    },
  ) {
    return db
      .updateTable('chat_messages')
      .set({
        content: result.content,
        stream_seq: result.seq,
        status: result.status,
        model: result.model,
        metadata: sql`${JSON.stringify(result.metadata)}::jsonb`,
        lease_expires_at: null,
        updated_at: sql`now()`,
      })
      .where('id', '=', messageId)
      .where('status', '=', 'streaming')
      .returning(['id', 'session_id', 'user_id', 'reply_to_id'])
      .executeTakeFirst();
  },

  /** Settles a reply whose runner failed unexpectedly: error, keeping its last checkpoint. */
  async markFailed(db: DB, messageId: string, failure: { code: string; reason: string }) {
    await db
      .updateTable('chat_messages')
      .set({
        status: 'error',
        lease_expires_at: null,
        metadata: sql`metadata || jsonb_build_object('error', ${JSON.stringify(failure)}::jsonb)`,
        updated_at: sql`now()`,
      })
      .where('id', '=', messageId)
      .where('status', '=', 'streaming')
      .execute();
  },

  /**
   * Replies whose runner died (its lease ran out) become `interrupted`, keeping their last checkpoint.
   * Runs at start-up and periodically in every engine, so a crash anywhere is cleaned up somewhere.
   */
  async markOrphanedRepliesInterrupted(db: DB) {
    return db
      .updateTable('chat_messages')
      .set({
        status: 'interrupted',
        lease_expires_at: null,
        metadata: sql`metadata || jsonb_build_object('error', jsonb_build_object('code', 'interrupted', 'reason', 'The server restarted while this reply was being written; it is kept up to the last saved point.'))`,
        updated_at: sql`now()`,
      })
      .where('status', '=', 'streaming')
      .where((eb) =>
        eb.or([eb('lease_expires_at', '<', sql<Date>`now()`), eb('lease_expires_at', 'is', null)]),
      )
      .returning(['id', 'session_id'])
      .execute();
  },

  /** Sets the session's title unless it was already titled (by this job or by its user). */
  async setGeneratedTitle(db: DB, userId: string, sessionId: string, title: string, untitled: string) {
    return db
      .updateTable('chat_sessions')
      .set({ title, updated_at: sql`now()` })
      .where('id', '=', sessionId)
      .where('user_id', '=', userId)
      .where('title', '=', untitled)
      .executeTakeFirst();
  },

  /** The session's title and its number of assistant replies (titles are made after the first). */
  async findTitleState(db: DB, userId: string, sessionId: string) {
    return db
      .selectFrom('chat_sessions as s')
      .select((eb) => [
        's.title',
        eb
          .selectFrom('chat_messages as m')
          .select((inner) => inner.fn.countAll<string>().as('count'))
          .whereRef('m.session_id', '=', 's.id')
          .where('m.role', '=', 'assistant')
          .as('replies'),
      ])
      .where('s.id', '=', sessionId)
      .where('s.user_id', '=', userId)
      .executeTakeFirst();
  },

  async findMessageContent(db: DB, userId: string, messageId: string): Promise<string | undefined> {
    const row = await db
      .selectFrom('chat_messages')
      .select('content')
      .where('id', '=', messageId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.content;
  },
});
