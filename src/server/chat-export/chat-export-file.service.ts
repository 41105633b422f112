import 'server-only';
import type { DB } from '../db';
import { chatExportRepository } from './chat-export.repository';

export interface ExportFile {
  body: string;
  contentType: string;
  fileName: string;
}

export const chatExportFileService = Object.freeze({
  /** The user's own finished, unexpired export in one format; undefined for anything else (never a hint why). */
  async find(
    db: DB,
    userId: string,
    jobId: string,
    format: 'json' | 'markdown',
  ): Promise<ExportFile | undefined> {
    const file = await chatExportRepository.findFile(db, userId, jobId, format);
    if (!file) return undefined;
    const day = (file.completed_at ?? new Date()).toISOString().slice(0, 10);
    return format === 'json'
      ? {
          body: file.body,
          contentType: 'application/json; charset=utf-8',
          fileName: `chattwelve-export-${day}.json`,
        }
      : {
          body: file.body,
          contentType: 'text/markdown; charset=utf-8',
          fileName: `chattwelve-export-${day}.md`,
        };
  },
});
