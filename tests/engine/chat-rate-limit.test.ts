import { afterAll, describe, expect, it } from 'vitest';
import { startChatEngine } from '@/server/chat-engine/chat-engine';
import { adminDb } from '../helpers/database';
import { lastUserText } from '../helpers/fake-llm-provider';
import { callerFor, signUpUser } from '../helpers/users';
import { provider } from './support/engine-env';
import { clientMessageId } from './support/reply-subscriber';

// Read by src/env.ts on first use, which comes later (engine-env only sets it when unset).
const LIMIT = 5;
process.env.CHAT_RATE_LIMIT_PER_MINUTE = String(LIMIT);

const db = adminDb();
afterAll(async () => {
  await startChatEngine().shutdown();
  await provider.close();
  await db.destroy();
});

describe('per-user send rate limit', () => {
  it(`100 parallel sends with a limit of ${LIMIT} a minute: exactly ${LIMIT} accepted, the rest TOO_MANY_REQUESTS`, async () => {
    const user = await signUpUser();
    const caller = await callerFor(user.headers);
    const ids = Array.from({ length: 100 }, () => clientMessageId());
    const tag = clientMessageId();
    const results = await Promise.allSettled(
      ids.map((id, i) => caller.chat.send({ clientMessageId: id, content: `Hi ${tag} ${i}` })),
    );
    const accepted = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter((result) => result.status === 'rejected');
    expect(accepted).toHaveLength(LIMIT);
    expect(refused).toHaveLength(100 - LIMIT);
    for (const result of refused) {
      expect(result.reason).toMatchObject({
        code: 'TOO_MANY_REQUESTS',
        message: expect.stringMatching(/try again in \d+ s/),
      });
    }
    await startChatEngine().idle();
    // refused sends left nothing behind
    const rows = await db
      .selectFrom('chat_messages')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('user_id', '=', user.id)
      .where('role', '=', 'user')
      .executeTakeFirstOrThrow();
    expect(Number(rows.count)).toBe(LIMIT);
    // and asked no model: only the accepted sends reached the provider
    const asked = provider.requests.filter(
      (record) => record.body.stream === true && lastUserText(record.body).includes(tag),
    );
    expect(asked).toHaveLength(LIMIT);

    // over the limit, a retry of an accepted message still gets its ids: it is not a new request
    const first = accepted[0];
    if (first?.status !== 'fulfilled') throw new Error('unreachable');
    const retry = await caller.chat.send({
      clientMessageId: ids[results.indexOf(first)] ?? '',
      content: 'again',
    });
    expect(retry).toMatchObject({ replyId: first.value.replyId, duplicate: true });

    // a new version (regenerate, edit) is a new request like any send: refused, nothing written
    await expect(caller.chat.regenerate({ messageId: first.value.replyId })).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
    await expect(
      caller.chat.editAndResend({ messageId: first.value.userMessageId, content: 'edited' }),
    ).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    const after = await db
      .selectFrom('chat_messages')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(Number(after.count)).toBe(2 * LIMIT);
  });

  it("one user's limit does not touch another's", async () => {
    const [busy, other] = await Promise.all([signUpUser(), signUpUser()]);
    const busyCaller = await callerFor(busy.headers);
    for (let i = 0; i < LIMIT; i++)
      await busyCaller.chat.send({ clientMessageId: clientMessageId(), content: 'x' });
    await expect(
      busyCaller.chat.send({ clientMessageId: clientMessageId(), content: 'x' }),
    ).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
    const sent = await (await callerFor(other.headers)).chat.send({
      clientMessageId: clientMessageId(),
      content: 'x',
    });
    expect(sent.duplicate).toBe(false);
    await startChatEngine().idle();
  });

  it('switching versions is limited too (120 a minute): a script hammering it is refused and moves nothing', async () => {
    const user = await signUpUser();
    const caller = await callerFor(user.headers);
    const first = await caller.chat.send({ clientMessageId: clientMessageId(), content: 'Two versions' });
    await startChatEngine().idle();
    const second = await caller.chat.regenerate({ messageId: first.replyId });
    await startChatEngine().idle();

    const versions = [first.replyId, second.replyId];
    const results = await Promise.allSettled(
      Array.from({ length: 150 }, (_, i) =>
        caller.chat.switchBranch({ sessionId: first.sessionId, messageId: versions[i % 2] ?? '' }),
      ),
    );
    const accepted = results.filter((result) => result.status === 'fulfilled');
    expect(accepted).toHaveLength(120);
    for (const result of results.filter((result) => result.status === 'rejected'))
      expect(result.reason).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    const shown = await db
      .selectFrom('chat_sessions')
      .select('current_leaf_id')
      .where('id', '=', first.sessionId)
      .executeTakeFirstOrThrow();
    await expect(
      caller.chat.switchBranch({
        sessionId: first.sessionId,
        messageId: versions.find((id) => id !== shown.current_leaf_id) ?? '',
      }),
    ).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    const after = await db
      .selectFrom('chat_sessions')
      .select('current_leaf_id')
      .where('id', '=', first.sessionId)
      .executeTakeFirstOrThrow();
    expect(after.current_leaf_id).toBe(shown.current_leaf_id);
  });
});
