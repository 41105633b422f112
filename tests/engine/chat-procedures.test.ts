import { afterAll, describe, expect, it } from 'vitest';
import { startChatEngine } from '@/server/chat-engine/chat-engine';
import { adminDb } from '../helpers/database';
import type { FakeReplyScript } from '../helpers/fake-llm-provider';
import { callerFor, signUpUser, type TestUser } from '../helpers/users';
import { FAKE_MODEL, provider } from './support/engine-env';
import { clientMessageId } from './support/reply-subscriber';

afterAll(async () => {
  await startChatEngine().shutdown();
  await provider.close();
});

function scripted(script: FakeReplyScript): string {
  const cue = `cue-${clientMessageId()}`;
  provider.script(cue, script);
  return cue;
}

/** The streamed requests (replies, not titles) the model got for `cue`. */
function streamedRequests(cue: string) {
  return provider.requests.filter((record) => record.cue === cue && record.body.stream === true);
}

async function newUser(): Promise<{ user: TestUser; caller: Awaited<ReturnType<typeof callerFor>> }> {
  const user = await signUpUser();
  return { user, caller: await callerFor(user.headers) };
}

describe('chat.send', () => {
  it('creates a session when none is given and returns the ids at once, the reply still streaming', async () => {
    const { caller } = await newUser();
    const cue = scripted({ tokens: ['Hello', ' there'], firstTokenDelayMs: 300 });
    const sent = await caller.chat.send({ clientMessageId: clientMessageId(), content: `Hi ${cue}` });

    expect((await caller.sessions.get({ id: sent.sessionId })).model).toBe(FAKE_MODEL);
    const { items } = await caller.messages.list({ sessionId: sent.sessionId });
    expect(items.map((m) => [m.id, m.role, m.status, m.content, m.streamSeq])).toEqual([
      [sent.userMessageId, 'user', 'complete', `Hi ${cue}`, 0],
      [sent.replyId, 'assistant', 'streaming', '', 0],
    ]);
    await startChatEngine().idle();
    const after = await caller.messages.list({ sessionId: sent.sessionId });
    expect(after.items[1]).toMatchObject({ status: 'complete', content: 'Hello there', model: FAKE_MODEL });
    // asked once: the request opened before the commit is the reply's, not a second one
    expect(streamedRequests(cue)).toHaveLength(1);
  });

  it('the same clientMessageId sent twice (an offline retry) makes one message and one reply', async () => {
    const { caller } = await newUser();
    const session = await caller.sessions.create({});
    const cue = scripted({ tokens: ['Once'] });
    const input = { sessionId: session.id, clientMessageId: clientMessageId(), content: `Retry ${cue}` };
    const first = await caller.chat.send(input);
    const again = await caller.chat.send(input);
    const concurrent = await Promise.all([1, 2, 3].map(() => caller.chat.send(input)));

    for (const retry of [again, ...concurrent]) {
      expect(retry).toMatchObject({
        replyId: first.replyId,
        userMessageId: first.userMessageId,
        duplicate: true,
      });
    }
    await startChatEngine().idle();
    const { items } = await caller.messages.list({ sessionId: session.id });
    expect(items.map((m) => m.role)).toEqual(['user', 'assistant']);
    // a retry is answered from the database: the model was asked once
    expect(streamedRequests(cue)).toHaveLength(1);
  });

  it('concurrent first sends of one clientMessageId still make one message', async () => {
    const { caller } = await newUser();
    const session = await caller.sessions.create({});
    const cue = scripted({ tokens: ['Once'] });
    const input = { sessionId: session.id, clientMessageId: clientMessageId(), content: `Race ${cue}` };
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => caller.chat.send(input)));
    const ok = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    expect(new Set(ok.map((r) => r.userMessageId)).size).toBe(1);
    await startChatEngine().idle();
    const { items } = await caller.messages.list({ sessionId: session.id });
    expect(items.filter((m) => m.role === 'user')).toHaveLength(1);
    expect(items.filter((m) => m.role === 'assistant')).toHaveLength(1);
  });

  it('refuses a second message while a reply is streaming in the session, then accepts it', async () => {
    const { caller } = await newUser();
    const cue = scripted({ tokens: ['slow', ' reply'], firstTokenDelayMs: 500 });
    const sent = await caller.chat.send({ clientMessageId: clientMessageId(), content: `One ${cue}` });
    await expect(
      caller.chat.send({
        sessionId: sent.sessionId,
        clientMessageId: clientMessageId(),
        content: `Two ${cue}`,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/still being written/) });
    await startChatEngine().idle();
    const next = await caller.chat.send({
      sessionId: sent.sessionId,
      clientMessageId: clientMessageId(),
      content: `Two ${cue}`,
    });
    expect(next.sessionId).toBe(sent.sessionId);
    await startChatEngine().idle();
  });

  it('of two messages sent into one session at the same moment, exactly one starts a reply', async () => {
    const { caller } = await newUser();
    const session = await caller.sessions.create({});
    const cue = scripted({ tokens: ['only', ' one'], firstTokenDelayMs: 300 });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, index) =>
        caller.chat.send({
          sessionId: session.id,
          clientMessageId: clientMessageId(),
          content: `${index} ${cue}`,
        }),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((r) => r.status === 'rejected'))
      expect(result.reason).toMatchObject({ code: 'CONFLICT' });
    await startChatEngine().idle();
    const { items } = await caller.messages.list({ sessionId: session.id });
    expect(items.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
  });

  it("answers NOT_FOUND for a session that is not the user's, writing nothing", async () => {
    const { caller } = await newUser();
    const other = await newUser();
    const theirs = await other.caller.sessions.create({});
    await expect(
      caller.chat.send({ sessionId: theirs.id, clientMessageId: clientMessageId(), content: 'hi' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await other.caller.messages.list({ sessionId: theirs.id })).items).toEqual([]);
  });

  it("gives the model the user's default system prompt and the session's history in order", async () => {
    const { caller } = await newUser();
    await caller.prompts.create({ name: 'Pirate', content: 'Talk like a pirate.', isDefault: true });
    const firstCue = scripted({ tokens: ['Arr', ' one'] });
    const sent = await caller.chat.send({ clientMessageId: clientMessageId(), content: `First ${firstCue}` });
    await startChatEngine().idle();
    const secondCue = scripted({ tokens: ['Arr', ' two'] });
    await caller.chat.send({
      sessionId: sent.sessionId,
      clientMessageId: clientMessageId(),
      content: `Second ${secondCue}`,
    });
    await startChatEngine().idle();

    const request = await provider.requestFor(secondCue);
    expect(request.body.stream).toBe(true);
    expect(request.body.model).toBe('fake-model');
    expect(request.body.messages).toEqual([
      { role: 'system', content: 'Talk like a pirate.' },
      { role: 'user', content: `First ${firstCue}` },
      { role: 'assistant', content: 'Arr one' },
      { role: 'user', content: `Second ${secondCue}` },
    ]);
  });

  it("prefers the session's own system prompt, but never another user's", async () => {
    const { caller } = await newUser();
    const other = await newUser();
    await caller.prompts.create({ name: 'Default', content: 'Be brief.', isDefault: true });
    const own = await caller.prompts.create({ name: 'Poet', content: 'Answer in verse.' });
    const foreign = await other.caller.prompts.create({ name: 'Secret', content: "Another user's prompt." });
    const db = adminDb();
    try {
      const cue = scripted({ tokens: ['ok'] });
      const session = await caller.sessions.create({});
      await db
        .updateTable('chat_sessions')
        .set({ system_prompt_id: own.id })
        .where('id', '=', session.id)
        .execute();
      await caller.chat.send({
        sessionId: session.id,
        clientMessageId: clientMessageId(),
        content: `P ${cue}`,
      });
      await startChatEngine().idle();
      expect((await provider.requestFor(cue)).body.messages[0]).toEqual({
        role: 'system',
        content: 'Answer in verse.',
      });

      const forgedCue = scripted({ tokens: ['ok'] });
      const forged = await caller.sessions.create({});
      await db
        .updateTable('chat_sessions')
        .set({ system_prompt_id: foreign.id })
        .where('id', '=', forged.id)
        .execute();
      await caller.chat.send({
        sessionId: forged.id,
        clientMessageId: clientMessageId(),
        content: `F ${forgedCue}`,
      });
      await startChatEngine().idle();
      expect((await provider.requestFor(forgedCue)).body.messages[0]).toEqual({
        role: 'system',
        content: 'Be brief.',
      });
    } finally {
      await db.destroy();
    }
  });

  it('uses the model the user picked and records it on the reply', async () => {
    const { caller } = await newUser();
    const cue = scripted({ tokens: ['big'] });
    const sent = await caller.chat.send({
      clientMessageId: clientMessageId(),
      content: `Pick ${cue}`,
      model: 'openai-compatible/fake-model-large',
    });
    await startChatEngine().idle();
    expect((await provider.requestFor(cue)).body.model).toBe('fake-model-large');
    const { items } = await caller.messages.list({ sessionId: sent.sessionId });
    expect(items[1]?.model).toBe('openai-compatible/fake-model-large');

    // the next send names no model: the chat's own is asked, once
    const next = scripted({ tokens: ['still big'] });
    await caller.chat.send({
      sessionId: sent.sessionId,
      clientMessageId: clientMessageId(),
      content: `Next ${next}`,
    });
    await startChatEngine().idle();
    expect(streamedRequests(next).map((record) => record.body.model)).toEqual(['fake-model-large']);
    const after = await caller.messages.list({ sessionId: sent.sessionId });
    expect(after.items.at(-1)).toMatchObject({
      content: 'still big',
      model: 'openai-compatible/fake-model-large',
    });
  });
});

describe('chat.stop', () => {
  it('settles at once a reply whose runner is gone (lease run out), keeping its last checkpoint', async () => {
    const { user, caller } = await newUser();
    const session = await caller.sessions.create({});
    const db = adminDb();
    try {
      const reply = await db
        .insertInto('chat_messages')
        .values({
          session_id: session.id,
          user_id: user.id,
          role: 'assistant',
          content: 'half a rep',
          status: 'streaming',
          stream_seq: 4,
          lease_expires_at: new Date(Date.now() - 60_000),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const result = await caller.chat.stop({ messageId: reply.id });
      // The periodic orphan sweep may get there first: either way it is no longer streaming.
      expect(['stopped', 'interrupted']).toContain(result.status);
      const { items } = await caller.messages.list({ sessionId: session.id });
      expect(items[0]).toMatchObject({
        id: reply.id,
        status: result.status,
        content: 'half a rep',
        streamSeq: 4,
      });
    } finally {
      await db.destroy();
    }
  });
});

describe('session titles', () => {
  it('names the session after its first reply with a model-written title', async () => {
    const { caller } = await newUser();
    const cue = scripted({ tokens: ['Sure'], nonStreaming: { tokens: ['"Paris', ' travel tips".'] } });
    const sent = await caller.chat.send({ clientMessageId: clientMessageId(), content: `Plan Paris ${cue}` });
    await startChatEngine().idle();
    expect((await caller.sessions.get({ id: sent.sessionId })).title).toBe('Paris travel tips');

    // later replies leave the title alone
    const next = scripted({ tokens: ['More'], nonStreaming: { tokens: ['Another title'] } });
    await caller.chat.send({
      sessionId: sent.sessionId,
      clientMessageId: clientMessageId(),
      content: `More ${next}`,
    });
    await startChatEngine().idle();
    expect((await caller.sessions.get({ id: sent.sessionId })).title).toBe('Paris travel tips');
  });

  it("falls back to the question's first words when the title call fails", async () => {
    const { caller } = await newUser();
    const cue = scripted({
      tokens: ['Ok'],
      nonStreaming: { tokens: [], fault: { kind: 'status', status: 500 } },
    });
    const sent = await caller.chat.send({
      clientMessageId: clientMessageId(),
      content: `How do I bake sourdough bread at home ${cue}`,
    });
    await startChatEngine().idle();
    expect((await caller.sessions.get({ id: sent.sessionId })).title).toBe('How do I bake sourdough bread…');
  });

  it('does not overwrite a title the user set before the reply finished', async () => {
    const { caller } = await newUser();
    const cue = scripted({
      tokens: ['Ok'],
      firstTokenDelayMs: 300,
      nonStreaming: { tokens: ['Model title'] },
    });
    const sent = await caller.chat.send({ clientMessageId: clientMessageId(), content: `Hi ${cue}` });
    await caller.sessions.rename({ id: sent.sessionId, title: 'Mine' });
    await startChatEngine().idle();
    expect((await caller.sessions.get({ id: sent.sessionId })).title).toBe('Mine');
  });
});

/** The shown path as [role, content, versions] rows, versions like '2/3' or '' for a message with one. */
async function shownPath(caller: Awaited<ReturnType<typeof callerFor>>, sessionId: string) {
  const { items } = await caller.messages.list({ sessionId });
  return items.map((m) => [m.role, m.content, m.branch ? `${m.branch.index}/${m.branch.count}` : '']);
}

describe('chat.regenerate', () => {
  it('adds a new reply beside the old one, shows it, and keeps the old one a switch away', async () => {
    const { caller } = await newUser();
    const cue = scripted({ tokens: ['First', ' answer'] });
    const sent = await caller.chat.send({ clientMessageId: clientMessageId(), content: `Q ${cue}` });
    await startChatEngine().idle();
    provider.script(cue, { tokens: ['Second', ' answer'] });
    const again = await caller.chat.regenerate({ messageId: sent.replyId });
    expect(again).toMatchObject({
      sessionId: sent.sessionId,
      userMessageId: sent.userMessageId,
      duplicate: false,
    });
    expect(again.replyId).not.toBe(sent.replyId);
    await startChatEngine().idle();
    const { items } = await caller.messages.list({ sessionId: sent.sessionId });
    expect(items.map((m) => [m.id, m.content, m.status, m.parentId])).toEqual([
      [sent.userMessageId, `Q ${cue}`, 'complete', null],
      [again.replyId, 'Second answer', 'complete', sent.userMessageId],
    ]);
    expect(items[1]?.branch).toEqual({ index: 2, count: 2, siblingIds: [sent.replyId, again.replyId] });
    // The model was asked the question alone, not shown the reply it replaces.
    expect((await provider.requestFor(cue)).body.messages.filter((m) => m.role !== 'system')).toEqual([
      { role: 'user', content: `Q ${cue}` },
    ]);

    await caller.chat.switchBranch({ sessionId: sent.sessionId, messageId: sent.replyId });
    expect(await shownPath(caller, sent.sessionId)).toEqual([
      ['user', `Q ${cue}`, ''],
      ['assistant', 'First answer', '1/2'],
    ]);
  });

  it('refuses while a reply is streaming, and for a message that is not a reply', async () => {
    const { caller } = await newUser();
    const cue = scripted({ tokens: ['slow'], firstTokenDelayMs: 400 });
    const sent = await caller.chat.send({ clientMessageId: clientMessageId(), content: `Q ${cue}` });
    await expect(caller.chat.regenerate({ messageId: sent.replyId })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await startChatEngine().idle();
    await expect(caller.chat.regenerate({ messageId: sent.userMessageId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('chat.editAndResend', () => {
  it('asks the edited question beside the original, keeping the original and what followed it', async () => {
    const { caller } = await newUser();
    const one = scripted({ tokens: ['A1'] });
    const first = await caller.chat.send({ clientMessageId: clientMessageId(), content: `One ${one}` });
    await startChatEngine().idle();
    const two = scripted({ tokens: ['A2'] });
    await caller.chat.send({
      sessionId: first.sessionId,
      clientMessageId: clientMessageId(),
      content: `Two ${two}`,
    });
    await startChatEngine().idle();

    const edited = scripted({ tokens: ['Edited', ' answer'] });
    const resent = await caller.chat.editAndResend({
      messageId: first.userMessageId,
      content: `One, edited ${edited}`,
    });
    expect(resent.sessionId).toBe(first.sessionId);
    expect(resent.userMessageId).not.toBe(first.userMessageId);
    await startChatEngine().idle();
    expect(await shownPath(caller, first.sessionId)).toEqual([
      ['user', `One, edited ${edited}`, '2/2'],
      ['assistant', 'Edited answer', ''],
    ]);
    expect((await provider.requestFor(edited)).body.messages.filter((m) => m.role !== 'system')).toEqual([
      { role: 'user', content: `One, edited ${edited}` },
    ]);

    // The first version, with both of its exchanges, is one switch away.
    await caller.chat.switchBranch({ sessionId: first.sessionId, messageId: first.userMessageId });
    expect(await shownPath(caller, first.sessionId)).toEqual([
      ['user', `One ${one}`, '1/2'],
      ['assistant', 'A1', ''],
      ['user', `Two ${two}`, ''],
      ['assistant', 'A2', ''],
    ]);
  });

  it('edits only user messages', async () => {
    const { caller } = await newUser();
    const cue = scripted({ tokens: ['A'] });
    const sent = await caller.chat.send({ clientMessageId: clientMessageId(), content: `Q ${cue}` });
    await startChatEngine().idle();
    await expect(caller.chat.editAndResend({ messageId: sent.replyId, content: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('branches', () => {
  it('a message sent after a switch continues the shown branch, and the model sees only that path', async () => {
    const { caller } = await newUser();
    const one = scripted({ tokens: ['A1'] });
    const first = await caller.chat.send({ clientMessageId: clientMessageId(), content: `One ${one}` });
    await startChatEngine().idle();
    const two = scripted({ tokens: ['A2'] });
    await caller.chat.send({
      sessionId: first.sessionId,
      clientMessageId: clientMessageId(),
      content: `Two ${two}`,
    });
    await startChatEngine().idle();
    const edited = scripted({ tokens: ['B1'] });
    await caller.chat.editAndResend({ messageId: first.userMessageId, content: `Uno ${edited}` });
    await startChatEngine().idle();

    await caller.chat.switchBranch({ sessionId: first.sessionId, messageId: first.userMessageId });
    const three = scripted({ tokens: ['A3'] });
    await caller.chat.send({
      sessionId: first.sessionId,
      clientMessageId: clientMessageId(),
      content: `Three ${three}`,
    });
    await startChatEngine().idle();
    expect((await provider.requestFor(three)).body.messages.filter((m) => m.role !== 'system')).toEqual([
      { role: 'user', content: `One ${one}` },
      { role: 'assistant', content: 'A1' },
      { role: 'user', content: `Two ${two}` },
      { role: 'assistant', content: 'A2' },
      { role: 'user', content: `Three ${three}` },
    ]);
    expect((await shownPath(caller, first.sessionId)).map((row) => row[1])).toEqual([
      `One ${one}`,
      'A1',
      `Two ${two}`,
      'A2',
      `Three ${three}`,
      'A3',
    ]);
  });

  it('switching to a version shows the newest path under it', async () => {
    const { caller } = await newUser();
    const cue = scripted({ tokens: ['A'] });
    const first = await caller.chat.send({ clientMessageId: clientMessageId(), content: `Q ${cue}` });
    await startChatEngine().idle();
    const edited = await caller.chat.editAndResend({ messageId: first.userMessageId, content: `Q2 ${cue}` });
    await startChatEngine().idle();
    const later = await caller.chat.send({
      sessionId: first.sessionId,
      clientMessageId: clientMessageId(),
      content: `Then ${cue}`,
    });
    await startChatEngine().idle();
    await caller.chat.switchBranch({ sessionId: first.sessionId, messageId: first.userMessageId });
    const back = await caller.chat.switchBranch({
      sessionId: first.sessionId,
      messageId: edited.userMessageId,
    });
    expect(back).toEqual({ sessionId: first.sessionId, currentLeafId: later.replyId });
  });

  it('a reply streaming in a branch that is not shown keeps streaming and is there on switching back', async () => {
    const { caller } = await newUser();
    const cue = scripted({ tokens: ['Old'] });
    const sent = await caller.chat.send({ clientMessageId: clientMessageId(), content: `Q ${cue}` });
    await startChatEngine().idle();
    provider.script(cue, { tokens: ['New', ' one'], firstTokenDelayMs: 300 });
    const again = await caller.chat.regenerate({ messageId: sent.replyId });
    await caller.chat.switchBranch({ sessionId: sent.sessionId, messageId: sent.replyId });
    expect((await shownPath(caller, sent.sessionId)).at(-1)).toEqual(['assistant', 'Old', '1/2']);
    await startChatEngine().idle();
    await caller.chat.switchBranch({ sessionId: sent.sessionId, messageId: again.replyId });
    const { items } = await caller.messages.list({ sessionId: sent.sessionId });
    expect(items.at(-1)).toMatchObject({ id: again.replyId, content: 'New one', status: 'complete' });
  });

  it('pages through a long shown path without repeating or skipping a message', async () => {
    const { caller } = await newUser();
    const cue = scripted({ tokens: ['R'] });
    const first = await caller.chat.send({ clientMessageId: clientMessageId(), content: `Q0 ${cue}` });
    await startChatEngine().idle();
    for (let i = 1; i < 4; i += 1) {
      await caller.chat.send({
        sessionId: first.sessionId,
        clientMessageId: clientMessageId(),
        content: `Q${i} ${cue}`,
      });
      await startChatEngine().idle();
    }
    await caller.chat.regenerate({ messageId: first.replyId });
    await startChatEngine().idle();
    await caller.chat.switchBranch({ sessionId: first.sessionId, messageId: first.replyId });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await caller.messages.list({ sessionId: first.sessionId, limit: 3, cursor });
      seen.push(...page.items.map((m) => m.content));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([`Q0 ${cue}`, 'R', `Q1 ${cue}`, 'R', `Q2 ${cue}`, 'R', `Q3 ${cue}`, 'R']);
  });
});

describe('models.list', () => {
  it('lists the configured models, the default first, none of them the demo', async () => {
    const { caller } = await newUser();
    expect(await caller.models.list()).toEqual({
      defaultModelId: FAKE_MODEL,
      models: [
        { id: FAKE_MODEL, label: 'fake-model', provider: 'openai-compatible', isDemo: false },
        {
          id: 'openai-compatible/fake-model-large',
          label: 'fake-model-large',
          provider: 'openai-compatible',
          isDemo: false,
        },
      ],
    });
  });
});
