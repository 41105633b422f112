import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpAdmin } from '../helpers/admins';
import { adminDb } from '../helpers/database';
import { callerFor, signUpUser, type TestUser } from '../helpers/users';

const db = adminDb();
afterAll(() => db.destroy());

const DAY_MS = 24 * 3600 * 1000;

function usageMetadata(inputTokens: unknown, outputTokens: unknown) {
  return JSON.stringify({ usage: { inputTokens, outputTokens } });
}

/** Writes one finished question and answer as the chat engine leaves them, with token usage in metadata. */
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
        metadata: usageMetadata(tokens[0], tokens[1]),
        created_at: new Date(at.getTime() + 1),
      },
    ])
    .execute();
}

async function reportFor(admin: TestUser, days?: number) {
  return (await callerFor(admin.headers)).admin.usage(days ? { days } : {});
}

describe('admin.usage', () => {
  const model = `usage-test-model-${crypto.randomUUID()}`;
  const otherModel = `${model}-mini`;
  let admin: TestUser;
  let ann: TestUser;
  let annSessionId: string;

  beforeAll(async () => {
    admin = await signUpAdmin(db);
    ann = await signUpUser('Ann');
    const ben = await signUpUser('Ben');
    const now = Date.now();
    for (const user of [ann, ben]) {
      const session = await (await callerFor(user.headers)).sessions.create({});
      if (user === ann) annSessionId = session.id;
      await exchange(user, session.id, model, new Date(now - 60_000), [100, 20]);
      await exchange(user, session.id, otherModel, new Date(now - 30_000), [50, 5]);
      // 40 days ago: outside the default 30-day period
      await exchange(user, session.id, model, new Date(now - 40 * DAY_MS), [1000, 1000]);
    }
    // An odd metadata shape counts 0 tokens instead of failing the report.
    await db
      .insertInto('chat_messages')
      .values({
        session_id: annSessionId,
        user_id: ann.id,
        role: 'assistant',
        content: 'a',
        model,
        metadata: usageMetadata('lots', null),
      })
      .execute();
  });

  it('reports finished replies and their tokens per model over the period', async () => {
    const report = await reportFor(admin);
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

  it('reports messages, tokens and active users per UTC day, and active users today', async () => {
    const report = await reportFor(admin, 1);
    const today = new Date().toISOString().slice(0, 10);
    expect(report.fromDay).toBe(today);
    // Other test files write messages today too: at least ours are counted.
    expect(report.perDay.map((row) => row.day)).toEqual([today]);
    const [day] = report.perDay;
    expect(day?.userMessages).toBeGreaterThanOrEqual(4);
    expect(day?.assistantMessages).toBeGreaterThanOrEqual(5);
    expect(day?.inputTokens).toBeGreaterThanOrEqual(300);
    expect(day?.activeUsers).toBeGreaterThanOrEqual(2);
    expect(report.activeUsers.today).toBeGreaterThanOrEqual(2);
    expect(report.activeUsers.lastWeek).toBeGreaterThanOrEqual(report.activeUsers.today);
  });

  it('counts the older messages once the period reaches back to them', async () => {
    const longer = await reportFor(admin, 45);
    expect(longer.perModel.find((row) => row.model === model)).toMatchObject({
      replies: 5,
      inputTokens: 2200,
    });
    const fortyDaysAgo = new Date(Date.now() - 40 * DAY_MS).toISOString().slice(0, 10);
    expect(longer.perDay.find((row) => row.day === fortyDaysAgo)?.activeUsers).toBeGreaterThanOrEqual(2);
  });

  it('counts a streamed reply once, when it finishes, with the model and tokens it finished with', async () => {
    const streamingModel = `${model}-streamed`;
    const [reply] = await db
      .insertInto('chat_messages')
      .values({
        session_id: annSessionId,
        user_id: ann.id,
        role: 'assistant',
        status: 'streaming',
        // held by a runner: the orphan sweep of an engine another test file runs leaves it streaming
        lease_expires_at: sql<Date>`now() + interval '1 hour'`,
      })
      .returning('id')
      .execute();
    const replyRow = () => db.updateTable('chat_messages').where('id', '=', reply?.id ?? '');
    await replyRow().set({ content: 'partial', stream_seq: 3 }).execute(); // a checkpoint
    expect((await reportFor(admin)).perModel.find((row) => row.model === streamingModel)).toBeUndefined();

    await replyRow()
      .set({ status: 'complete', model: streamingModel, metadata: usageMetadata(70, 30) })
      .execute();
    await replyRow().set({ content: 'edited later' }).execute();
    expect((await reportFor(admin)).perModel.find((row) => row.model === streamingModel)).toEqual({
      model: streamingModel,
      replies: 1,
      inputTokens: 70,
      outputTokens: 30,
    });
  });

  it('keeps counting tokens spent in a chat that was deleted since', async () => {
    const carl = await signUpUser('Carl');
    const api = await callerFor(carl.headers);
    const session = await api.sessions.create({});
    const deletedModel = `${model}-deleted`;
    await exchange(carl, session.id, deletedModel, new Date(), [11, 22]);
    await api.sessions.delete({ id: session.id });
    expect((await reportFor(admin)).perModel.find((row) => row.model === deletedModel)).toEqual({
      model: deletedModel,
      replies: 1,
      inputTokens: 11,
      outputTokens: 22,
    });
  });
});
