import 'server-only';
import type { DB } from '../db';
import { adminUsageRepository } from './admin-usage.repository';

export interface UsageReport {
  /** Start of the period: UTC midnight, `days - 1` days before today. */
  from: Date;
  perDay: {
    day: string;
    userMessages: number;
    assistantMessages: number;
    inputTokens: number;
    outputTokens: number;
    activeUsers: number;
  }[];
  perModel: { model: string; replies: number; inputTokens: number; outputTokens: number }[];
  activeUsers: { lastDay: number; lastWeek: number; period: number };
}

const DAY_MS = 24 * 60 * 60 * 1000;

function periodStart(now: Date, days: number): Date {
  const todayUtc = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(todayUtc - (days - 1) * DAY_MS);
}

export const adminUsageService = Object.freeze({
  /** Three independent aggregates, one statement each, run side by side. */
  async report(db: DB, days: number, now = new Date()): Promise<UsageReport> {
    const from = periodStart(now, days);
    const [perDay, perModel, active] = await Promise.all([
      adminUsageRepository.perDay(db, from),
      adminUsageRepository.perModel(db, from),
      adminUsageRepository.activeUsers(db, from, now),
    ]);
    return {
      from,
      perDay: perDay.map((row) => ({
        day: row.day,
        userMessages: row.user_messages,
        assistantMessages: row.assistant_messages,
        inputTokens: Number(row.input_tokens),
        outputTokens: Number(row.output_tokens),
        activeUsers: row.active_users,
      })),
      perModel: perModel.map((row) => ({
        model: row.model,
        replies: row.replies,
        inputTokens: Number(row.input_tokens),
        outputTokens: Number(row.output_tokens),
      })),
      activeUsers: { lastDay: active.last_day, lastWeek: active.last_week, period: active.period },
    };
  },
});
