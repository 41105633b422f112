import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpAdmin } from '../helpers/admins';
import { adminDb } from '../helpers/database';
import { callerFor, signUpUser, type TestUser } from '../helpers/users';

const db = adminDb();
afterAll(() => db.destroy());

/** Writes one question and its answer as the chat engine records them, with token usage in metadata. */
async function exchange(
  user: TestUser,
  sessionId: string,
  model: string,
  at: Date,
  tokens: [number, number],
) {
  await db
    .insertInto('chat_messages')
    .values([
      { session_id: sessionId, user_id: user.id, role: 'user', content: 'q', created_at: at },
      {
        session_id: sessionId,
        user_id: user.id,
        role: 'assistant',
        content: 'a',
        model,
        status: 'complete',
        metadata: sql`${JSON.stringify({ usage: { inputTokens: tokens[0], outputTokens: tokens[1] } })}::jsonb`,
        created_at: new Date(at.getTime() + 1),
      },
    ])
    .execute();
}

describe('admin.usage', () => {
  const model = `usage-test-model-${crypto.randomUUID()}`;
  const otherModel = `${model}-mini`;
  let admin: TestUser;

  beforeAll(async () => {
    admin = await signUpAdmin(db);
    const [ann, ben] = [await signUpUser('Ann'), await signUpUser('Ben')];
    const now = Date.now();
    for (const user of [ann, ben]) {
      const session = await (await callerFor(user.headers)).sessions.create({});
      await exchange(user, session.id, model, new Date(now - 60_000), [100, 20]);
      await exchange(user, session.id, otherModel, new Date(now - 30_000), [50, 5]);
      // 40 days ago: outside the default 30-day period
      await exchange(user, session.id, model, new Date(now - 40 * 24 * 3600 * 1000), [1000, 1000]);
    }
    // An odd metadata shape counts 0 tokens instead of failing the report.
    const session = await (await callerFor(ann.headers)).sessions.create({});
    await db
      .insertInto('chat_messages')
      .values({
        session_id: session.id,
        user_id: ann.id,
        role: 'assistant',
        content: 'a',
        model,
        metadata: sql`${JSON.stringify({ usage: { inputTokens: 'lots' } })}::jsonb`,
      })
      .execute();
  });

  it('reports replies and tokens per model over the period', async () => {
    const report = await (await callerFor(admin.headers)).admin.usage({});
    expect(report.perModel.find((row) => row.model === model)).toEqual({
      model,
      replies: 3,
      inputTokens: 200,
      outputTokens: 40,
    });
    expect(report.perModel.find((row) => row.model === otherModel)).toEqual({
      model: otherModel,
      replies: 2,
      inputTokens: 100,
      outputTokens: 10,
    });
  });

  it('reports messages, tokens and active users per UTC day, and active users over the last day', async () => {
    const report = await (await callerFor(admin.headers)).admin.usage({ days: 1 });
    const today = new Date().toISOString().slice(0, 10);
    expect(report.from.toISOString()).toBe(`${today}T00:00:00.000Z`);
    // Other test files write messages today too: at least ours are counted.
    const day = report.perDay.find((row) => row.day === today);
    expect(report.perDay.map((row) => row.day).every((d) => d === today)).toBe(true);
    expect(day?.userMessages).toBeGreaterThanOrEqual(4);
    expect(day?.assistantMessages).toBeGreaterThanOrEqual(5);
    expect(day?.inputTokens).toBeGreaterThanOrEqual(300);
    expect(day?.activeUsers).toBeGreaterThanOrEqual(2);
    expect(report.activeUsers.lastDay).toBeGreaterThanOrEqual(2);
    expect(report.activeUsers.lastWeek).toBeGreaterThanOrEqual(report.activeUsers.lastDay);
  });

  it('counts the older messages once the period reaches back to them', async () => {
    const api = (await callerFor(admin.headers)).admin;
    const longer = await api.usage({ days: 45 });
    expect(longer.perModel.find((row) => row.model === model)).toMatchObject({
      replies: 5,
      inputTokens: 2200,
    });
  });
});
