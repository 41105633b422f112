import 'server-only';
import type { ExportStatus } from '../database-types';
import type { DB } from '../db';
import { ConflictError, NotFoundError } from '../domain-errors';
import { loggableError, logger } from '../observability/logger';
import { rateLimitService } from '../rate-limit/rate-limit.service';
import { chatExportRepository, type ExportJobRow } from './chat-export.repository';
import { ChatExportDocument, type ExportOwner } from './chat-export-document';

/** How long a finished export can be downloaded. */
export const EXPORT_KEEP_DAYS = 7;
/** Sessions read per query (their messages come in the same query). */
const SESSIONS_PER_BATCH = 100;
/** An export reads every message the user has: a handful an hour is plenty. */
const EXPORTS_PER_HOUR = { bucket: 'exports.start', limit: 10, windowSeconds: 60 * 60 };

export type { ExportStatus } from '../database-types';

export interface ExportJob {
  id: string;
  status: ExportStatus;
  totalMessages: number;
  exportedMessages: number;
  error: string | null;
  createdAt: Date;
  completedAt: Date | null;
  expiresAt: Date | null;
  /** Present while the files can be downloaded (same-origin links; the session cookie authorizes them). */
  downloads: { json: string; markdown: string } | null;
}

function toExportJob(row: ExportJobRow, now = new Date()): ExportJob {
  const downloadable = row.status === 'complete' && row.expires_at !== null && row.expires_at > now;
  return {
    id: row.id,
    status: row.status,
    totalMessages: row.total_messages,
    exportedMessages: row.exported_messages,
    error: row.error,
    createdAt: row.created_at,
    completedAt: row.completed_at,
    expiresAt: row.expires_at,
    downloads: downloadable
      ? { json: `/api/exports/${row.id}?format=json`, markdown: `/api/exports/${row.id}?format=markdown` }
      : null,
  };
}

/** Writes the files batch by batch, telling the job row how far it got (each write is a Realtime event). */
async function runExport(db: DB, jobId: string, owner: ExportOwner): Promise<void> {
  const total = await chatExportRepository.countMessages(db, owner.id);
  await chatExportRepository.markRunning(db, jobId, total);
  const document = new ChatExportDocument(owner, new Date());
  const sessions = await chatExportRepository.listSessions(db, owner.id);
  let exported = 0;
  for (let start = 0; start < sessions.length; start += SESSIONS_PER_BATCH) {
    const batch = sessions.slice(start, start + SESSIONS_PER_BATCH);
    const messages = await chatExportRepository.listMessages(
      db,
      owner.id,
      batch.map((s) => s.id),
    );
    const bySession = new Map<string, typeof messages>();
    for (const message of messages) {
      const list = bySession.get(message.session_id);
      if (list) list.push(message);
      else bySession.set(message.session_id, [message]);
    }
    for (const session of batch) {
      document.add({
        id: session.id,
        title: session.title,
        model: session.model,
        createdAt: session.created_at,
        updatedAt: session.updated_at,
        currentLeafId: session.current_leaf_id,
        messages: (bySession.get(session.id) ?? []).map((m) => ({
          id: m.id,
          parentId: m.parent_id,
          role: m.role,
          content: m.content,
          model: m.model,
          status: m.status,
          createdAt: m.created_at,
        })),
      });
    }
    exported += messages.length;
    if (start + SESSIONS_PER_BATCH < sessions.length)
      await chatExportRepository.recordProgress(db, jobId, exported);
  }
  const files = document.finish();
  await db.transaction().execute(async (trx) => {
    await chatExportRepository.insertFile(trx, { jobId, userId: owner.id, ...files });
    await chatExportRepository.markComplete(trx, jobId, exported, EXPORT_KEEP_DAYS);
  });
}

const running = new Set<Promise<void>>();

export const chatExportService = Object.freeze({
  /**
   * Queues an export and starts it outside the request; the caller watches the job row. One at a time per
   * user (CONFLICT while one is queued or running).
   */
  async start(db: DB, owner: ExportOwner, requestId: string): Promise<ExportJob> {
    await rateLimitService.consume(db, owner.id, EXPORTS_PER_HOUR);
    await chatExportRepository.failStaleJobs(db, owner.id);
    // Housekeeping on the way: no scheduler needed for files that must not outlive their link.
    await chatExportRepository.deleteExpiredFiles(db);
    const job = await chatExportRepository.insertJob(db, owner.id);
    if (!job) throw new ConflictError('An export is already running; wait for it to finish');
    const run = runExport(db, job.id, owner)
      .catch(async (error: unknown) => {
        logger().error(
          { requestId, jobId: job.id, userId: owner.id, err: loggableError(error) },
          'export failed',
        );
        await chatExportRepository
          .markFailed(db, job.id, 'The export failed. Start it again.')
          .catch((markError: unknown) =>
            logger().error({ jobId: job.id, err: loggableError(markError) }, 'export failure not recorded'),
          );
      })
      .finally(() => running.delete(run));
    running.add(run);
    return toExportJob(job);
  },

  async get(db: DB, userId: string, id: string): Promise<ExportJob> {
    const job = await chatExportRepository.findJob(db, userId, id);
    if (!job) throw new NotFoundError('Export');
    return toExportJob(job);
  },

  async list(db: DB, userId: string): Promise<ExportJob[]> {
    return (await chatExportRepository.listJobs(db, userId, 10)).map((row) => toExportJob(row));
  },

  /** Resolves when every export started by this process has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (running.size > 0) await Promise.allSettled([...running]);
  },
});
