'use client';

import type { RealtimePostgresChangesPayload } from '@supabase/supabase-js';
import { useEffect, useState } from 'react';
import type { ExportJob } from './account-api-types';
import { useRealtimeClient } from './realtime-context';
import { trpc } from './trpc-client';

/** The columns of an export_jobs row that a change event carries and the progress display needs. */
interface ExportJobChange {
  id: string;
  status: ExportJob['status'];
  total_messages: number;
  exported_messages: number;
  error: string | null;
}

function isFinished(job: ExportJob): boolean {
  return job.status === 'complete' || job.status === 'failed';
}

/**
 * An export job, kept current by its row's postgres_changes events. Subscribes first, then reads the row
 * (and again after a reconnect), so no change between the two is missed; the finished job is read once more
 * through the API, which is what knows its download links.
 */
export function useExportJob(initial: ExportJob | null): [ExportJob | null, (job: ExportJob) => void] {
  const realtime = useRealtimeClient();
  const [job, setJob] = useState(initial);
  const jobId = job?.id ?? null;
  const finished = job ? isFinished(job) : true;

  useEffect(() => {
    if (!realtime || !jobId || finished) return;
    let disposed = false;
    const refresh = () =>
      trpc.exports.get
        .query({ id: jobId })
        .then((fresh) => {
          if (!disposed) setJob(fresh);
        })
        .catch((error: unknown) => console.warn('Export status not read', error));
    const channel = realtime.socket
      .channel(`export:${jobId}`)
      .on(
        'postgres_changes',
        { event: 'UPDATE', schema: 'public', table: 'export_jobs', filter: `id=eq.${jobId}` },
        (payload: RealtimePostgresChangesPayload<ExportJobChange>) => {
          if (payload.eventType !== 'UPDATE') return;
          const row = payload.new;
          if (row.status === 'complete' || row.status === 'failed') return void refresh();
          setJob((current) =>
            current && current.id === row.id
              ? {
                  ...current,
                  status: row.status,
                  totalMessages: row.total_messages,
                  exportedMessages: row.exported_messages,
                  error: row.error,
                }
              : current,
          );
        },
      )
      .subscribe((status) => {
        if (status === 'SUBSCRIBED') void refresh();
      });
    return () => {
      disposed = true;
      void realtime.socket.removeChannel(channel);
    };
  }, [realtime, jobId, finished]);

  return [job, setJob];
}
