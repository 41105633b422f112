import 'server-only';
import { sql } from 'kysely';
import type { DB } from '../db';

/**
 * Token counts as the chat engine records them on an assistant row: metadata.usage.inputTokens / outputTokens
 * (AI SDK names). Anything not a JSON number counts as 0, so one odd row cannot fail the whole report.
 */
const inputTokens = sql<number>`case when jsonb_typeof(metadata #> '{usage,inputTokens}') = 'number'
  then (metadata #>> '{usage,inputTokens}')::numeric else 0 end`;
const outputTokens = sql<number>`case when jsonb_typeof(metadata #> '{usage,outputTokens}') = 'number'
  then (metadata #>> '{usage,outputTokens}')::numeric else 0 end`;

/** Each report is one statement over chat_messages since `from`, read through chat_messages_created_idx. */
export const adminUsageRepository = Object.freeze({
  /** Per UTC day: messages by side, tokens, and how many distinct users sent anything. */
  async perDay(db: DB, from: Date) {
    return db
      .selectFrom('chat_messages')
      .select([
        sql<string>`(created_at at time zone 'UTC')::date::text`.as('day'),
        sql<number>`count(*) filter (where role = 'user')::int`.as('user_messages'),
        sql<number>`count(*) filter (where role = 'assistant')::int`.as('assistant_messages'),
        sql<string>`sum(${inputTokens})::bigint::text`.as('input_tokens'),
        sql<string>`sum(${outputTokens})::bigint::text`.as('output_tokens'),
        sql<number>`count(distinct user_id)::int`.as('active_users'),
      ])
      .where('created_at', '>=', from)
      .groupBy(sql`1`)
      .orderBy(sql`1`)
      .execute();
  },

  /** Per model: replies and tokens (user messages carry no model). */
  async perModel(db: DB, from: Date) {
    return db
      .selectFrom('chat_messages')
      .select([
        sql<string>`coalesce(model, 'unknown')`.as('model'),
        sql<number>`count(*)::int`.as('replies'),
        sql<string>`sum(${inputTokens})::bigint::text`.as('input_tokens'),
        sql<string>`sum(${outputTokens})::bigint::text`.as('output_tokens'),
      ])
      .where('created_at', '>=', from)
      .where('role', '=', 'assistant')
      .groupBy(sql`1`)
      .orderBy('replies', 'desc')
      .execute();
  },

  /** Distinct users who sent a message in the last day, 7 days, and the whole period. */
  async activeUsers(db: DB, from: Date, now: Date) {
    const dayAgo = new Date(now.getTime() - 24 * 60 * 60 * 1000);
    const weekAgo = new Date(now.getTime() - 7 * 24 * 60 * 60 * 1000);
    return db
      .selectFrom('chat_messages')
      .select([
        sql<number>`count(distinct user_id) filter (where created_at >= ${dayAgo})::int`.as('last_day'),
        sql<number>`count(distinct user_id) filter (where created_at >= ${weekAgo})::int`.as('last_week'),
        sql<number>`count(distinct user_id)::int`.as('period'),
      ])
      .where('created_at', '>=', from)
      .where('role', '=', 'user')
      .executeTakeFirstOrThrow();
  },
});
