// Admin usage reports over 1M messages, all inside the default 30-day period (the worst case: every row is
// in range): the whole admin.usage call through tRPC as an admin, and each of its three queries alone. The
// messages are inserted in one statement; the counters of migration 0011 are kept by its triggers, and the
// report is checked to count every message.
import { sql } from 'kysely';
import { startBenchApp } from './bench-app';
import { percentile, reportFigure } from './bench-report';

const TOTAL_MESSAGES = 1_000_000;
const USERS = 500;
const SESSIONS_PER_USER = 20;
const MODELS = ['gpt-4.1-mini', 'gpt-4.1', 'claude-sonnet-4-5', 'llama3.1:8b'];
const ITERATIONS = 200;

async function timeIt(iterations: number, run: () => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await run(); // warm up
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return { p50: percentile(samples, 50), p90: percentile(samples, 90) };
}

export async function main() {
  const app = await startBenchApp();
  const { db } = app;
  const { adminUsageRepository } = await import('../src/server/admin/admin-usage.repository');

  try {
    const admin = await app.signUp('bench-admin@example.test', 'Bench Admin');
    await sql`update better_auth."user" set role = 'admin' where id = ${admin.id}`.execute(db());

    const seedStart = performance.now();
    await sql`
      insert into better_auth."user" (id, name, email, "emailVerified", role)
      select 'bench-user-' || g, 'User ' || g, 'bench-user-' || g || '@example.test', true, 'user'
      from generate_series(1, ${USERS}) g`.execute(db());
    await sql`
      insert into chat_sessions (user_id, title)
      select 'bench-user-' || u, 'Chat ' || s
      from generate_series(1, ${USERS}) u cross join generate_series(1, ${SESSIONS_PER_USER}) s`.execute(
      db(),
    );
    // Messages spread evenly over the last 29 days (inside the period, which starts at UTC midnight 29 days ago); every other one an assistant reply with token usage.
    await sql`
      with sessions as (select id, user_id, row_number() over (order by id) as n from chat_sessions)
      insert into chat_messages (session_id, user_id, role, content, model, status, metadata, created_at)
      select s.id, s.user_id,
        case when m % 2 = 0 then 'user' else 'assistant' end,
        'message ' || m,
        case when m % 2 = 1 then (${sql.val(MODELS)}::text[])[1 + (m / 2) % ${MODELS.length}] end,
        'complete',
        case when m % 2 = 1
          then jsonb_build_object('usage', jsonb_build_object('inputTokens', 200 + m % 300, 'outputTokens', 50 + m % 500))
          else '{}'::jsonb end,
        now() - ((m * 7919 + s.n * 104729) % (29 * 24 * 3600)) * interval '1 second'
      from sessions s cross join generate_series(1, ${TOTAL_MESSAGES / (USERS * SESSIONS_PER_USER)}) m`.execute(
      db(),
    );
    await sql`vacuum analyze chat_messages, usage_daily, usage_daily_users`.execute(db());
    reportFigure('admin.usage seed (1M messages over 30 days)', performance.now() - seedStart, 'ms');
    // Write the bulk load out now, so the timings below do not share the disk with it.
    await sql`checkpoint`.execute(db());
    // The stack's realtime server decodes the WAL of those 1M inserts in this same process; timings start
    // once it has caught up, so they measure the reports and not the decoding.
    const waitStart = performance.now();
    const caughtUpBy = Date.now() + 300_000;
    while (Date.now() < caughtUpBy) {
      const { rows } = await sql<{ behind: boolean }>`
        select coalesce(bool_or(confirmed_flush_lsn < pg_current_wal_insert_lsn()), false) as behind
        from pg_replication_slots`.execute(db());
      if (!rows[0]?.behind) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    reportFigure(
      'admin.usage wait for the realtime server to read the seed WAL',
      performance.now() - waitStart,
      'ms',
    );

    const caller = await app.callerFor(admin.headers);
    const report = await caller.admin.usage({});
    const counted = report.perDay.reduce((sum, d) => sum + d.userMessages + d.assistantMessages, 0);
    if (counted < TOTAL_MESSAGES) throw new Error(`usage counted ${counted} of ${TOTAL_MESSAGES} messages`);

    const whole = await timeIt(ITERATIONS, () => caller.admin.usage({}));
    reportFigure('admin.usage 30 days over 1M messages p50', whole.p50, 'ms', { p90: whole.p90 });
    const week = await timeIt(ITERATIONS, () => caller.admin.usage({ days: 7 }));
    reportFigure('admin.usage 7 days over 1M messages p50', week.p50, 'ms', { p90: week.p90 });

    const { fromDay, today } = report;
    for (const [name, run] of [
      ['perDay', () => adminUsageRepository.perDay(db(), fromDay)],
      ['perModel', () => adminUsageRepository.perModel(db(), fromDay)],
      ['activeUsers', () => adminUsageRepository.activeUsers(db(), fromDay, today)],
    ] as const) {
      const figures = await timeIt(ITERATIONS, run);
      reportFigure(`admin usage query ${name} (30 days, 1M messages) p50`, figures.p50, 'ms', {
        p90: figures.p90,
      });
    }
  } finally {
    await app.stop();
  }
}
