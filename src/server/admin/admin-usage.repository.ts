import 'server-only';
import { sql } from 'kysely';
import type { DB } from '../db';

/**
 * Each report is one statement over the counters that migration 0011's triggers keep (usage_daily: a few rows
 * per day and model; usage_daily_users: one row per active user and day), never over chat_messages itself.
 * Days are UTC dates as 'YYYY-MM-DD'.
 */
export const adminUsageRepository = Object.freeze({
  /** Per day: messages by side, tokens, and how many distinct users sent anything. */
  async perDay(db: DB, fromDay: string) {
    const result = await sql<{
      day: string;
      user_messages: string;
      assistant_messages: string;
      input_tokens: string;
      output_tokens: string;
      active_users: string;
    }>`
      with counters as (
        select day, sum(user_messages) as user_messages, sum(assistant_messages) as assistant_messages,
               sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens
        from public.usage_daily where day >= ${fromDay}::date group by day
      ), active as (
        select day, count(*) as active_users from public.usage_daily_users where day >= ${fromDay}::date group by day
      )
      select day::text as day,
             coalesce(c.user_messages, 0)::text as user_messages,
             coalesce(c.assistant_messages, 0)::text as assistant_messages,
             coalesce(c.input_tokens, 0)::text as input_tokens,
             coalesce(c.output_tokens, 0)::text as output_tokens,
             coalesce(a.active_users, 0)::text as active_users
      from counters c full join active a using (day)
      order by day`.execute(db);
    return result.rows;
  },

  /** Per model: finished replies and their tokens. */
  async perModel(db: DB, fromDay: string) {
    const result = await sql<{ model: string; replies: string; input_tokens: string; output_tokens: string }>`
      select case when model = '' then 'unknown' else model end as model,
             sum(assistant_messages)::text as replies,
             sum(input_tokens)::text as input_tokens,
             sum(output_tokens)::text as output_tokens
      from public.usage_daily
      where day >= ${fromDay}::date and assistant_messages > 0
      group by 1
      order by sum(assistant_messages) desc, 1`.execute(db);
    return result.rows;
  },

  /** Distinct users who sent a message today, in the last 7 days (today included), and since `fromDay`. */
  async activeUsers(db: DB, fromDay: string, today: string) {
    const result = await sql<{ today: string; last_week: string; period: string }>`
      select count(distinct user_id) filter (where day = ${today}::date)::text as today,
             count(distinct user_id) filter (where day > ${today}::date - 7)::text as last_week,
             count(distinct user_id) filter (where day >= ${fromDay}::date)::text as period
      from public.usage_daily_users
      where day >= least(${fromDay}::date, ${today}::date - 6)`.execute(db);
    return result.rows[0] ?? { today: '0', last_week: '0', period: '0' };
  },
});
