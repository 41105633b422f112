import 'server-only';
import { sql } from 'kysely';
import type { DB } from '../db';

const jobColumns = [
  'id',
  'status',
  'total_messages',
  'exported_messages',
  'error',
  'created_at',
  'updated_at',
  'completed_at',
  'expires_at',
] as const;

export type ExportJobRow = NonNullable<Awaited<ReturnType<typeof chatExportRepository.findJob>>>;

/** A job that has not moved for this long lost its runner (a restart): it no longer blocks a new export. */
const STALE_AFTER = sql`interval '10 minutes'`;

export const chatExportRepository = Object.freeze({
  /** Marks the user's abandoned jobs failed, so the one-active-export rule does not hold them forever. */
  async failStaleJobs(db: DB, userId: string): Promise<void> {
    await db
      .updateTable('export_jobs')
      .set({
        status: 'failed',
        error: 'The export stopped: the server restarted. Start it again.',
        updated_at: sql`now()`,
      })
      .where('user_id', '=', userId)
      .where('status', 'in', ['queued', 'running'])
      .where('updated_at', '<', sql<Date>`now() - ${STALE_AFTER}`)
      .execute();
  },

  /**
   * Deletes the files of every expired export (anyone's): exported chats are not kept past their link. Reads
   * export_files (only unexpired files stay in it) joined to their jobs by primary key.
   */
  async deleteExpiredFiles(db: DB): Promise<number> {
    const result = await db
      .deleteFrom('export_files')
      .using('export_jobs')
      .whereRef('export_jobs.id', '=', 'export_files.job_id')
      .where('export_jobs.expires_at', '<', sql<Date>`now()`)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  },

  /** The new job, or undefined when the user already has one queued or running. */
  async insertJob(db: DB, userId: string) {
    return db
      .insertInto('export_jobs')
      .values({ user_id: userId })
      .onConflict((oc) => oc.column('user_id').where('status', 'in', ['queued', 'running']).doNothing())
      .returning(jobColumns)
      .executeTakeFirst();
  },

  async findJob(db: DB, userId: string, id: string) {
    return db
      .selectFrom('export_jobs')
      .select(jobColumns)
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
  },

  async listJobs(db: DB, userId: string, limit: number) {
    return db
      .selectFrom('export_jobs')
      .select(jobColumns)
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
  },

  async markRunning(db: DB, id: string, totalMessages: number): Promise<void> {
    await db
      .updateTable('export_jobs')
      .set({ status: 'running', total_messages: totalMessages, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  },

  async recordProgress(db: DB, id: string, exportedMessages: number): Promise<void> {
    await db
      .updateTable('export_jobs')
      .set({ exported_messages: exportedMessages, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  },

  async markComplete(db: DB, id: string, exportedMessages: number, keepForDays: number): Promise<void> {
    await db
      .updateTable('export_jobs')
      .set({
        status: 'complete',
        exported_messages: exportedMessages,
        updated_at: sql`now()`,
        completed_at: sql`now()`,
        expires_at: sql`now() + make_interval(days => ${keepForDays})`,
      })
      .where('id', '=', id)
      .execute();
  },

  async markFailed(db: DB, id: string, error: string): Promise<void> {
    await db
      .updateTable('export_jobs')
      .set({ status: 'failed', error, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  },

  async insertFile(db: DB, file: { jobId: string; userId: string; json: string; markdown: string }) {
    await db
      .insertInto('export_files')
      .values({ job_id: file.jobId, user_id: file.userId, json: file.json, markdown: file.markdown })
      .execute();
  },

  /** The file of the user's own finished, unexpired export, in one format. */
  async findFile(db: DB, userId: string, jobId: string, format: 'json' | 'markdown') {
    return db
      .selectFrom('export_files as f')
      .innerJoin('export_jobs as j', 'j.id', 'f.job_id')
      .select([format === 'json' ? 'f.json as body' : 'f.markdown as body', 'j.completed_at'])
      .where('f.user_id', '=', userId)
      .where('f.job_id', '=', jobId)
      .where('j.status', '=', 'complete')
      .where('j.expires_at', '>', sql<Date>`now()`)
      .executeTakeFirst();
  },

  async countMessages(db: DB, userId: string): Promise<number> {
    const row = await db
      .selectFrom('chat_messages')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** All the user's sessions, oldest first. */
  async listSessions(db: DB, userId: string) {
    return db
      .selectFrom('chat_sessions')
      .select(['id', 'title', 'model', 'created_at', 'updated_at', 'current_leaf_id'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  },

  /** Every message of these sessions (all the user's, every branch), oldest first, by chat_messages_session_idx. */
  async listMessages(db: DB, userId: string, sessionIds: string[]) {
    if (sessionIds.length === 0) return [];
    return db
      .selectFrom('chat_messages')
      .select(['id', 'session_id', 'parent_id', 'role', 'content', 'model', 'status', 'created_at'])
      .where('user_id', '=', userId)
      .where('session_id', 'in', sessionIds)
      .orderBy('session_id')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  },
});
