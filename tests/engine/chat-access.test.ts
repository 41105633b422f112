import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatEngine } from '@/server/chat-engine/chat-engine';
import { replyTopic } from '@/shared/realtime-topics';
import { REPLY_DELTA_EVENT } from '@/shared/reply-stream';
import { adminDb } from '../helpers/database';
import { expectTrpcError } from '../helpers/trpc-errors';
import { anonymousHeaders, callerFor, signUpUser, type TestUser } from '../helpers/users';
import { EventInbox } from '../realtime/support/event-inbox';
import { clientFor, refused } from '../realtime/support/realtime-fixture';
import { provider } from './support/engine-env';
import { clientMessageId, ReplySubscriber } from './support/reply-subscriber';

afterAll(async () => {
  await startChatEngine().shutdown();
  await provider.close();
});

let alice: TestUser;
let bob: TestUser;
let aliceCaller: Awaited<ReturnType<typeof callerFor>>;
let bobCaller: Awaited<ReturnType<typeof callerFor>>;

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUpUser('Alice'), signUpUser('Bob')]);
  [aliceCaller, bobCaller] = await Promise.all([callerFor(alice.headers), callerFor(bob.headers)]);
});

const db = adminDb();
afterAll(() => db.destroy());

/** A session's rows as stored, read with the privileged connection, to prove a refused call changed nothing. */
async function rowsOfSession(sessionId: string) {
  return {
    session: await db.selectFrom('chat_sessions').selectAll().where('id', '=', sessionId).executeTakeFirst(),
    messages: await db
      .selectFrom('chat_messages')
      .selectAll()
      .where('session_id', '=', sessionId)
      .orderBy('id')
      .execute(),
  };
}

function cueFor(tokens: string[], tokenDelayMs = 0): string {
  const cue = `cue-${randomUUID()}`;
  provider.script(cue, { tokens, tokenDelayMs });
  return cue;
}

describe("another user's chat", () => {
  it("B cannot send into A's session", async () => {
    const cue = cueFor(['A reply']);
    const sent = await aliceCaller.chat.send({ clientMessageId: clientMessageId(), content: `A ${cue}` });
    await startChatEngine().idle();
    await expectTrpcError(
      bobCaller.chat.send({
        sessionId: sent.sessionId,
        clientMessageId: clientMessageId(),
        content: 'sneaky',
      }),
      'NOT_FOUND',
      /Chat session not found/,
    );
    const { items } = await aliceCaller.messages.list({ sessionId: sent.sessionId });
    expect(items.map((m) => m.content)).toEqual([`A ${cue}`, 'A reply']);
  });

  it("B cannot stop A's reply; it completes", async () => {
    const tokens = Array.from({ length: 20 }, (_, i) => ` t${i}`);
    const sent = await aliceCaller.chat.send({
      clientMessageId: clientMessageId(),
      content: `A ${cueFor(tokens, 10)}`,
    });
    await expectTrpcError(bobCaller.chat.stop({ messageId: sent.replyId }), 'NOT_FOUND', /Reply not found/);
    await startChatEngine().idle();
    const { items } = await aliceCaller.messages.list({ sessionId: sent.sessionId });
    expect(items[1]).toMatchObject({ status: 'complete', content: tokens.join('') });
  });

  it("B cannot regenerate A's reply or edit A's message", async () => {
    const cue = cueFor(['Kept']);
    const sent = await aliceCaller.chat.send({ clientMessageId: clientMessageId(), content: `A ${cue}` });
    await startChatEngine().idle();
    await expectTrpcError(bobCaller.chat.regenerate({ messageId: sent.replyId }), 'NOT_FOUND');
    await expectTrpcError(
      bobCaller.chat.editAndResend({ messageId: sent.userMessageId, content: 'rewritten' }),
      'NOT_FOUND',
    );
    const { items } = await aliceCaller.messages.list({ sessionId: sent.sessionId });
    expect(items.map((m) => [m.id, m.content])).toEqual([
      [sent.userMessageId, `A ${cue}`],
      [sent.replyId, 'Kept'],
    ]);
  });

  it("B cannot switch A's branches, whichever of the two ids is A's; A's rows stay as they were", async () => {
    const cue = cueFor(['First']);
    const sent = await aliceCaller.chat.send({ clientMessageId: clientMessageId(), content: `A ${cue}` });
    await startChatEngine().idle();
    const again = await aliceCaller.chat.regenerate({ messageId: sent.replyId });
    await startChatEngine().idle();
    const bobCue = cueFor(['Bob reply']);
    const bobs = await bobCaller.chat.send({ clientMessageId: clientMessageId(), content: `B ${bobCue}` });
    await startChatEngine().idle();
    const before = await rowsOfSession(sent.sessionId);

    for (const input of [
      { sessionId: sent.sessionId, messageId: sent.replyId },
      { sessionId: bobs.sessionId, messageId: sent.replyId },
      { sessionId: sent.sessionId, messageId: bobs.replyId },
      { sessionId: randomUUID(), messageId: sent.replyId },
    ]) {
      await expectTrpcError(bobCaller.chat.switchBranch(input), 'NOT_FOUND');
    }
    // Not even the owner hangs one chat's path on another chat's message.
    await expectTrpcError(
      aliceCaller.chat.switchBranch({ sessionId: sent.sessionId, messageId: bobs.replyId }),
      'NOT_FOUND',
    );
    expect(await rowsOfSession(sent.sessionId)).toEqual(before);
    expect(before.session?.current_leaf_id).toBe(again.replyId);
    const bobView = await bobCaller.messages.list({ sessionId: bobs.sessionId });
    expect(bobView.items.map((m) => m.content)).toEqual([`B ${bobCue}`, 'Bob reply']);
  });

  it("B cannot reuse A's clientMessageId to read A's ids", async () => {
    const input = { clientMessageId: clientMessageId(), content: `A ${cueFor(['x'])}` };
    const aliceSent = await aliceCaller.chat.send(input);
    const bobSent = await bobCaller.chat.send({ ...input, content: `B ${cueFor(['y'])}` });
    await startChatEngine().idle();
    expect(bobSent.duplicate).toBe(false);
    expect(bobSent.sessionId).not.toBe(aliceSent.sessionId);
  });

  it("B cannot receive the deltas of A's session: the private topic refuses B's join", async () => {
    const session = await aliceCaller.sessions.create({});
    const { token } = await bobCaller.realtime.token();
    const bobClient = await clientFor(token);
    const bobDeltas = new EventInbox<unknown>();
    const channel = bobClient
      .channel(replyTopic(session.id), { config: { private: true } })
      .on('broadcast', { event: REPLY_DELTA_EVENT }, bobDeltas.push);
    const refusal = refused(channel);
    const aliceTab = await ReplySubscriber.open(alice, session.id);
    const sent = await aliceCaller.chat.send({
      sessionId: session.id,
      clientMessageId: clientMessageId(),
      content: `A ${cueFor(['secret', ' words'], 5)}`,
    });
    expect(await refusal).toMatchObject({ message: expect.stringMatching(/Unauthorized/) });
    await aliceTab.finalReply(sent.replyId);
    expect(aliceTab.assembler.text(sent.replyId)).toBe('secret words');
    expect(bobDeltas.events).toEqual([]);
    await aliceTab.close();
  });
});

describe('signed out', () => {
  it('every chat procedure and models.list answer UNAUTHORIZED', async () => {
    const anonymous = await callerFor(anonymousHeaders());
    const id = randomUUID();
    await expectTrpcError(
      anonymous.chat.send({ clientMessageId: clientMessageId(), content: 'hi' }),
      'UNAUTHORIZED',
    );
    await expectTrpcError(anonymous.chat.stop({ messageId: id }), 'UNAUTHORIZED');
    await expectTrpcError(anonymous.chat.replyProgress({ messageId: id }), 'UNAUTHORIZED');
    await expectTrpcError(anonymous.chat.regenerate({ messageId: id }), 'UNAUTHORIZED');
    await expectTrpcError(anonymous.chat.editAndResend({ messageId: id, content: 'x' }), 'UNAUTHORIZED');
    await expectTrpcError(anonymous.chat.switchBranch({ sessionId: id, messageId: id }), 'UNAUTHORIZED');
    await expectTrpcError(anonymous.models.list(), 'UNAUTHORIZED');
  });
});

describe('bad input', () => {
  it('chat.send names what is wrong', async () => {
    const ok = { clientMessageId: clientMessageId(), content: 'hello' };
    await expectTrpcError(
      aliceCaller.chat.send({ ...ok, content: '' }),
      'BAD_REQUEST',
      /content: Message is empty/,
    );
    await expectTrpcError(
      aliceCaller.chat.send({ ...ok, content: ' \n ' }),
      'BAD_REQUEST',
      /Message is empty/,
    );
    await expectTrpcError(
      aliceCaller.chat.send({ ...ok, content: 'x'.repeat(32_001) }),
      'BAD_REQUEST',
      /longer than/,
    );
    await expectTrpcError(aliceCaller.chat.send({ ...ok, sessionId: 'nope' }), 'BAD_REQUEST', /sessionId/);
    await expectTrpcError(
      aliceCaller.chat.send({ ...ok, clientMessageId: 'x' }),
      'BAD_REQUEST',
      /clientMessageId/,
    );
    await expectTrpcError(
      aliceCaller.chat.send({ ...ok, model: 'openai/gpt-9' }),
      'BAD_REQUEST',
      /Unknown model/,
    );
  });

  it('chat.stop, replyProgress, regenerate and editAndResend reject malformed ids and empty edits', async () => {
    await expectTrpcError(aliceCaller.chat.stop({ messageId: 'nope' }), 'BAD_REQUEST', /Invalid message id/);
    await expectTrpcError(
      aliceCaller.chat.replyProgress({ messageId: 'nope' }),
      'BAD_REQUEST',
      /Invalid message id/,
    );
    await expectTrpcError(
      aliceCaller.chat.regenerate({ messageId: 'nope' }),
      'BAD_REQUEST',
      /Invalid message id/,
    );
    await expectTrpcError(
      aliceCaller.chat.editAndResend({ messageId: randomUUID(), content: '' }),
      'BAD_REQUEST',
      /Message is empty/,
    );
    await expectTrpcError(
      aliceCaller.chat.switchBranch({ sessionId: randomUUID(), messageId: 'nope' }),
      'BAD_REQUEST',
      /Invalid message id/,
    );
    await expectTrpcError(
      aliceCaller.chat.switchBranch({ sessionId: 'nope', messageId: randomUUID() }),
      'BAD_REQUEST',
      /sessionId/,
    );
  });

  it('unknown message ids are NOT_FOUND', async () => {
    await expectTrpcError(aliceCaller.chat.stop({ messageId: randomUUID() }), 'NOT_FOUND');
    await expectTrpcError(aliceCaller.chat.regenerate({ messageId: randomUUID() }), 'NOT_FOUND');
    await expectTrpcError(
      aliceCaller.chat.editAndResend({ messageId: randomUUID(), content: 'x' }),
      'NOT_FOUND',
    );
  });
});
