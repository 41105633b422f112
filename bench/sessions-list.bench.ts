// sessions.list server time for users with 1k, 10k and 100k sessions among 1M messages in all:
// first page and a deep page, p50/p99, through the real tRPC procedure on a real BetterAuth session.
import { sql } from 'kysely';
import { encodeCursor } from '../src/server/pagination/keyset-cursor';
import { startBenchApp } from './bench-app';
import { percentile, reportFigure } from './bench-report';

const SESSIONS_PER_USER = [1_000, 10_000, 100_000];
const TOTAL_MESSAGES = 1_000_000;
const ITERATIONS = 300;

export async function main() {
  const app = await startBenchApp();
  const { db } = app;

  try {
    const users: { id: string; headers: Headers; sessions: number }[] = [];
    for (const sessions of SESSIONS_PER_USER) {
      const user = await app.signUp(`bench-${sessions}@example.test`, `Bench ${sessions}`);
      users.push({ ...user, sessions });
    }

    const seedStart = performance.now();
    for (const user of users) {
      await sql`
        insert into chat_sessions (user_id, title, last_message_at, created_at)
        select ${user.id}, 'Chat ' || g, now() - (g % 5000) * interval '1 minute', now() - g * interval '1 minute'
        from generate_series(1, ${user.sessions}) g`.execute(db());
    }
    const totalSessions = SESSIONS_PER_USER.reduce((a, b) => a + b, 0);
    const perSession = Math.ceil(TOTAL_MESSAGES / totalSessions);
    await sql`
      insert into chat_messages (session_id, user_id, role, content, status)
      select s.id, s.user_id, case when m % 2 = 0 then 'user' else 'assistant' end, 'message ' || m, 'complete'
      from chat_sessions s cross join generate_series(1, ${perSession}) m
      limit ${TOTAL_MESSAGES}`.execute(db());
    await sql`analyze`.execute(db());
    reportFigure('sessions.list seed (1M messages)', performance.now() - seedStart, 'ms');

    const p50ByUser = new Map<number, number>();
    for (const user of users) {
      const caller = await app.callerFor(user.headers);
      const deep = await sql<{ at: string; id: string }>`
        select last_message_at::text as at, id from chat_sessions where user_id = ${user.id}
        order by last_message_at desc, id desc offset ${Math.floor(user.sessions * 0.9)} limit 1`.execute(
        db(),
      );
      const deepCursor = encodeCursor(deep.rows[0] as { at: string; id: string });

      for (const [page, input] of [
        ['first page', { limit: 30 }],
        ['deep page', { limit: 30, cursor: deepCursor }],
      ] as const) {
        for (let i = 0; i < 200; i++) await caller.sessions.list(input); // warm up (JIT, plan cache)
        const samples: number[] = [];
        for (let i = 0; i < ITERATIONS; i++) {
          const start = performance.now();
          const result = await caller.sessions.list(input);
          samples.push(performance.now() - start);
          if (result.items.length !== 30) throw new Error(`expected a full page, got ${result.items.length}`);
        }
        const p50 = percentile(samples, 50);
        if (page === 'first page') p50ByUser.set(user.sessions, p50);
        reportFigure(`sessions.list ${page} p50 (${user.sessions} sessions)`, p50, 'ms');
        reportFigure(`sessions.list ${page} p99 (${user.sessions} sessions)`, percentile(samples, 99), 'ms');
      }
    }
    const ratio = (p50ByUser.get(100_000) ?? Number.NaN) / (p50ByUser.get(1_000) ?? Number.NaN);
    reportFigure('sessions.list p50(100k)/p50(1k)', ratio, 'ratio');

    const plan = await sql<{ 'QUERY PLAN': string }>`explain
      select id from chat_sessions where user_id = ${users[2]?.id ?? ''}
        and (last_message_at, id) < (now(), gen_random_uuid())
      order by last_message_at desc, id desc limit 31`.execute(db());
    console.log(plan.rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n'));
  } finally {
    await app.stop();
  }
}
