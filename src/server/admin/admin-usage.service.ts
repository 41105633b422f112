import 'server-only';
import type { DB } from '../db';
import { adminUsageRepository } from './admin-usage.repository';

export interface UsageReport {
  /** First day of the period (UTC), `days - 1` days before today; days are 'YYYY-MM-DD'. */
  fromDay: string;
  today: string;
  perDay: {
    day: string;
    userMessages: number;
    assistantMessages: number;
    inputTokens: number;
    outputTokens: number;
    activeUsers: number;
  }[];
  perModel: { model: string; replies: number; inputTokens: number; outputTokens: number }[];
  /** Distinct users who sent a message: today, in the last 7 days, in the period. */
  activeUsers: { today: number; lastWeek: number; period: number };
}

const DAY_MS = 24 * 60 * 60 * 1000;

function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export const adminUsageService = Object.freeze({
  /** Three independent aggregates, one statement each, run side by side. */
  async report(db: DB, days: number, now = new Date()): Promise<UsageReport> {
    const today = utcDay(now);
    const fromDay = utcDay(new Date(now.getTime() - (days - 1) * DAY_MS));
    const [perDay, perModel, active] = await Promise.all([
      adminUsageRepository.perDay(db, fromDay),
      adminUsageRepository.perModel(db, fromDay),
      adminUsageRepository.activeUsers(db, fromDay, today),
    ]);
    return {
      fromDay,
      today,
      perDay: perDay.map((row) => ({
        day: row.day,
        userMessages: Number(row.user_messages),
        assistantMessages: Number(row.assistant_messages),
        inputTokens: Number(row.input_tokens),
        outputTokens: Number(row.output_tokens),
        activeUsers: Number(row.active_users),
      })),
      perModel: perModel.map((row) => ({
        model: row.model,
        replies: Number(row.replies),
        inputTokens: Number(row.input_tokens),
        outputTokens: Number(row.output_tokens),
      })),
      activeUsers: {
        today: Number(active.today),
        lastWeek: Number(active.last_week),
        period: Number(active.period),
      },
    };
  },
});
