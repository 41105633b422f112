'use client';

import { useState } from 'react';
import type { ExportJob } from '@/client/account-api-types';
import { errorMessage } from '@/client/error-message';
import { trpc } from '@/client/trpc-client';
import { useExportJob } from '@/client/use-export-job';
import { LocalTime } from './local-time';

function progressText(job: ExportJob): string {
  switch (job.status) {
    case 'queued':
      return 'Waiting to start…';
    case 'running':
      return `Exporting… ${job.exportedMessages} of ${job.totalMessages} messages`;
    case 'complete':
      return `Ready: ${job.exportedMessages} messages.`;
    case 'failed':
      return job.error ?? 'The export failed.';
  }
}

/** Export every chat as JSON and Markdown: a background job whose progress arrives over Realtime. */
export function ChatExportPanel({ latest }: { latest: ExportJob | null }) {
  const [job, setJob] = useExportJob(latest);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const busy = job?.status === 'queued' || job?.status === 'running';

  async function start() {
    setPending(true);
    setError(null);
    try {
      setJob(await trpc.exports.start.mutate());
    } catch (cause) {
      setError(errorMessage(cause, 'Could not start the export'));
    } finally {
      setPending(false);
    }
  }

  return (
    <section aria-labelledby="export-heading" data-testid="export">
      <h2 id="export-heading">Export your chats</h2>
      <p className="muted small">Every chat and message, as a JSON file and a Markdown file.</p>
      {job && (
        <div className="export-job" data-testid="export-job" data-status={job.status}>
          {busy && (
            <progress
              value={job.exportedMessages}
              max={Math.max(job.totalMessages, 1)}
              aria-label="Export progress"
            />
          )}
          <p className={job.status === 'failed' ? 'error small' : 'small'} role="status">
            {progressText(job)}
          </p>
          {job.downloads && (
            <p className="row small">
              <a href={job.downloads.json} download data-testid="export-download-json">
                Download JSON
              </a>
              <a href={job.downloads.markdown} download data-testid="export-download-markdown">
                Download Markdown
              </a>
              {job.expiresAt && (
                <span className="muted">
                  until <LocalTime value={job.expiresAt} />
                </span>
              )}
            </p>
          )}
        </div>
      )}
      <button type="button" disabled={pending || busy} onClick={start} data-testid="export-start">
        {job ? 'Export again' : 'Export chats'}
      </button>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
