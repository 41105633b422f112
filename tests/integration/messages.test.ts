import { afterAll, describe, expect, it } from 'vitest';
import { insertExchange } from '../helpers/chat-rows';
import { adminDb } from '../helpers/database';
import { expectTrpcError } from '../helpers/trpc-errors';
import { anonymousHeaders, callerFor, signUpUser } from '../helpers/users';

const db = adminDb();
afterAll(() => db.destroy());

describe('messages.list', () => {
  it("returns a session's messages oldest first, page by page", async () => {
    const user = await signUpUser();
    const api = await callerFor(user.headers);
    const session = await api.sessions.create({});
    const start = Date.now() - 60_000;
    for (let i = 0; i < 5; i++) {
      await insertExchange(
        db,
        user.id,
        session.id,
        `question ${i}`,
        `answer ${i}`,
        new Date(start + i * 1000),
      );
    }

    const first = await api.messages.list({ sessionId: session.id, limit: 4 });
    expect(first.items.map((m) => m.content)).toEqual(['question 0', 'answer 0', 'question 1', 'answer 1']);
    expect(first.items[1]).toMatchObject({ role: 'assistant', status: 'complete', streamSeq: 0 });
    const rest: string[] = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await api.messages.list({ sessionId: session.id, limit: 4, cursor });
      rest.push(...page.items.map((m) => m.content));
      cursor = page.nextCursor;
    }
    expect(rest).toEqual(['question 2', 'answer 2', 'question 3', 'answer 3', 'question 4', 'answer 4']);

    // How a chat opens: the newest messages only, still oldest first, and no further page.
    const newest = await api.messages.list({ sessionId: session.id, limit: 3, newest: true });
    expect(newest.items.map((m) => m.content)).toEqual(['answer 3', 'question 4', 'answer 4']);
    expect(newest.nextCursor).toBeNull();
    await expectTrpcError(
      api.messages.list({ sessionId: session.id, newest: true, cursor: first.nextCursor ?? '' }),
      'BAD_REQUEST',
      /cursor/,
    );
    // Someone else's chat is not found this way either.
    const other = await callerFor((await signUpUser()).headers);
    await expectTrpcError(other.messages.list({ sessionId: session.id, newest: true }), 'NOT_FOUND');
  });

  it('refuses bad input and anonymous callers', async () => {
    const api = await callerFor((await signUpUser()).headers);
    await expectTrpcError(
      api.messages.list({ sessionId: 'nope' }),
      'BAD_REQUEST',
      /sessionId: Invalid session id/,
    );
    await expectTrpcError(
      api.messages.list({ sessionId: crypto.randomUUID(), limit: 0 }),
      'BAD_REQUEST',
      /limit/,
    );
    await expectTrpcError(
      (await callerFor(anonymousHeaders())).messages.list({ sessionId: crypto.randomUUID() }),
      'UNAUTHORIZED',
    );
  });

  it('says NOT_FOUND for a session that does not exist', async () => {
    const api = await callerFor((await signUpUser()).headers);
    await expectTrpcError(api.messages.list({ sessionId: crypto.randomUUID() }), 'NOT_FOUND');
  });
});
