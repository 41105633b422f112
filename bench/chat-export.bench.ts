// Export of one user's 10k messages (100 chats × 100 messages of ~600 characters) as JSON + Markdown: time
// from exports.start to the job's `complete`, and the process's resident memory during the export.
import { sql } from 'kysely';
import { startBenchApp } from './bench-app';
import { reportFigure } from './bench-report';

const SESSIONS = 100;
const MESSAGES_PER_SESSION = 100;
const RUNS = 3;

export async function main() {
  const app = await startBenchApp();
  const { db } = app;
  const { chatExportService } = await import('../src/server/chat-export/chat-export.service');

  try {
    const { id: userId, headers } = await app.signUp('bench-export@example.test', 'Bench Export');
    await sql`insert into chat_sessions (user_id, title) select ${userId}, 'Chat ' || g
      from generate_series(1, ${SESSIONS}) g`.execute(db());
    await sql`insert into chat_messages (session_id, user_id, role, content, created_at)
      select s.id, s.user_id, case when m % 2 = 0 then 'user' else 'assistant' end,
             repeat('Lorem ipsum dolor sit amet, consectetur adipiscing elit. ', 10) || m,
             now() - (${MESSAGES_PER_SESSION} - m) * interval '1 second'
      from chat_sessions s cross join generate_series(1, ${MESSAGES_PER_SESSION}) m
      where s.user_id = ${userId}`.execute(db());
    await sql`vacuum analyze chat_messages`.execute(db());

    const caller = await app.callerFor(headers);
    for (let run = 1; run <= RUNS; run++) {
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      let peakRss = rssBefore;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, 5);
      const started = performance.now();
      const job = await caller.exports.start();
      await chatExportService.idle();
      const elapsed = performance.now() - started;
      clearInterval(sampler);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      const done = await caller.exports.get({ id: job.id });
      if (done.status !== 'complete' || done.exportedMessages !== SESSIONS * MESSAGES_PER_SESSION) {
        throw new Error(`export ended ${done.status} with ${done.exportedMessages} messages`);
      }
      const size = await sql<{ json: number; markdown: number }>`
        select octet_length(json) as json, octet_length(markdown) as markdown from export_files
        where job_id = ${job.id}`.execute(db());
      reportFigure(`chat export of 10k messages, run ${run}: time`, elapsed, 'ms', {
        jsonBytes: size.rows[0]?.json,
        markdownBytes: size.rows[0]?.markdown,
      });
      reportFigure(`chat export of 10k messages, run ${run}: peak RSS`, peakRss / 2 ** 20, 'MiB', {
        rssBeforeMiB: Math.round(rssBefore / 2 ** 20),
        growthMiB: Math.round((peakRss - rssBefore) / 2 ** 20),
      });
    }
  } finally {
    await app.stop();
  }
}
