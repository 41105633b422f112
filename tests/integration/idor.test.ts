import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertExchange } from '../helpers/chat-rows';
import { adminDb } from '../helpers/database';
import { expectTrpcError } from '../helpers/trpc-errors';
import { callerFor, signUpUser, type TestUser } from '../helpers/users';

const db = adminDb();
afterAll(() => db.destroy());

/** Everything of A's, read with the privileged connection, to prove B changed nothing. */
async function rowsOf(userId: string) {
  return {
    sessions: await db
      .selectFrom('chat_sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute(),
    messages: await db
      .selectFrom('chat_messages')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute(),
    prompts: await db
      .selectFrom('system_prompts')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute(),
    profile: await db.selectFrom('profiles').selectAll().where('id', '=', userId).execute(),
  };
}

describe("user B calling every procedure with user A's ids", () => {
  let alice: TestUser;
  let bob: TestUser;
  let aliceSessionId: string;
  let alicePromptId: string;
  let aliceMessageId: string;

  beforeAll(async () => {
    alice = await signUpUser('Alice');
    bob = await signUpUser('Bob');
    const api = await callerFor(alice.headers);
    aliceSessionId = (await api.sessions.create({ title: 'Alice private plans' })).id;
    const [question] = await insertExchange(db, alice.id, aliceSessionId, 'secret question', 'secret answer');
    aliceMessageId = question?.id ?? '';
    alicePromptId = (
      await api.prompts.create({ name: 'Alice prompt', content: 'Be Alice.', isDefault: true })
    ).id;
  });

  it("gets NOT_FOUND from every procedure that takes an id, and A's rows stay as they were", async () => {
    const before = await rowsOf(alice.id);
    const bobApi = await callerFor(bob.headers);

    await expectTrpcError(bobApi.sessions.get({ id: aliceSessionId }), 'NOT_FOUND');
    await expectTrpcError(bobApi.sessions.rename({ id: aliceSessionId, title: 'pwned' }), 'NOT_FOUND');
    await expectTrpcError(bobApi.sessions.pin({ id: aliceSessionId, pinned: true }), 'NOT_FOUND');
    await expectTrpcError(bobApi.sessions.delete({ id: aliceSessionId }), 'NOT_FOUND');
    await expectTrpcError(bobApi.messages.list({ sessionId: aliceSessionId }), 'NOT_FOUND');
    await expectTrpcError(
      bobApi.chat.switchBranch({ sessionId: aliceSessionId, messageId: aliceMessageId }),
      'NOT_FOUND',
    );
    await expectTrpcError(bobApi.chat.replyProgress({ messageId: aliceMessageId }), 'NOT_FOUND');
    await expectTrpcError(bobApi.prompts.update({ id: alicePromptId, content: 'pwned' }), 'NOT_FOUND');
    await expectTrpcError(bobApi.prompts.delete({ id: alicePromptId }), 'NOT_FOUND');
    await expectTrpcError(bobApi.prompts.setDefault({ id: alicePromptId }), 'NOT_FOUND');

    expect(await rowsOf(alice.id)).toEqual(before);
  });

  it("says the same NOT_FOUND for A's id as for an id that never existed", async () => {
    const bobApi = await callerFor(bob.headers);
    const foreign = await expectTrpcError(bobApi.sessions.get({ id: aliceSessionId }), 'NOT_FOUND');
    const missing = await expectTrpcError(bobApi.sessions.get({ id: crypto.randomUUID() }), 'NOT_FOUND');
    expect(foreign.message).toBe(missing.message);
  });

  it("never shows A's sessions, messages or prompts in B's lists or searches", async () => {
    const bobApi = await callerFor(bob.headers);
    await bobApi.sessions.create({ title: 'Bob plans' });
    const sessions = await bobApi.sessions.list({});
    expect(sessions.items.map((s) => s.title)).toEqual(['Bob plans']);
    expect((await bobApi.sessions.list({ search: 'Alice' })).items).toEqual([]);
    expect((await bobApi.prompts.list()).map((p) => p.name)).not.toContain('Alice prompt');
    expect((await bobApi.profile.get()).email).toBe(bob.email);
  });
});
