import { afterAll, describe, expect, it } from 'vitest';
import { startChatEngine } from '@/server/chat-engine/chat-engine';
import { adminDb } from '../helpers/database';
import type { FakeReplyScript } from '../helpers/fake-llm-provider';
import { expectTrpcError } from '../helpers/trpc-errors';
import { callerFor, signUpUser, type TestUser } from '../helpers/users';
import { EventInbox } from '../realtime/support/event-inbox';
import { dropConnection, subscribed } from '../realtime/support/realtime-fixture';
import { FAKE_MODEL, provider } from './support/engine-env';
import { clientMessageId, ReplySubscriber } from './support/reply-subscriber';

const db = adminDb();
afterAll(async () => {
  await startChatEngine().shutdown();
  await provider.close();
  await db.destroy();
});

async function row(id: string) {
  return db
    .selectFrom('chat_messages')
    .select(['content', 'status', 'stream_seq', 'model', 'metadata'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Tokens with emoji (surrogate pairs), combining marks and CJK, some split across tokens. */
const tricky = ['Hé', 'llo ', '👋🏽', ' wörld — ', '日本', '語 ', '\ud83d', '\ude80', ' e\u0301', ' done.'];

describe('chat.send streaming', () => {
  it('streams deltas in order, and subscriber text and final row equal the provider output byte for byte', async () => {
    const user = await signUpUser();
    const caller = await callerFor(user.headers);
    const session = await caller.sessions.create({});
    const cue = `cue-${clientMessageId()}`;
    const tokens = [...tricky, ...Array.from({ length: 40 }, (_, i) => ` t${i}`)];
    provider.script(cue, { tokens, tokenDelayMs: 5, splitInsideCharacters: true });
    const tab = await ReplySubscriber.open(user, session.id);

    const sent = await caller.chat.send({
      sessionId: session.id,
      clientMessageId: clientMessageId(),
      content: `Hi ${cue}`,
    });
    expect(sent).toMatchObject({ sessionId: session.id, model: FAKE_MODEL, duplicate: false });
    tab.assembler.applyRow({ id: sent.replyId, content: '', stream_seq: 0, status: 'streaming' });

    const reply = await tab.finalReply(sent.replyId);
    const stored = await row(sent.replyId);
    await tab.deltas.next((delta) => delta.messageId === sent.replyId && delta.seq === stored.stream_seq);

    const expected = tokens.join('');
    expect(stored).toMatchObject({ content: expected, status: 'complete', model: FAKE_MODEL });
    expect(reply.text).toBe(expected);
    expect(tab.deltaText(sent.replyId)).toBe(expected);
    const seqs = tab.deltas.events.filter((d) => d.messageId === sent.replyId).map((d) => d.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    // coalesced: far fewer deltas than tokens
    expect(seqs.length).toBeLessThan(tokens.length);
    expect(stored.metadata).toMatchObject({ finishReason: 'stop', usage: { outputTokens: tokens.length } });
    await tab.close();
  });

  it('a tab whose socket drops mid-stream and reconnects assembles exactly the final content', async () => {
    const { user, sessionId, tokens, cue } = await longReply();
    const tab = await ReplySubscriber.open(user, sessionId);
    const sent = await (await callerFor(user.headers)).chat.send({
      sessionId,
      clientMessageId: clientMessageId(),
      content: `Drop me ${cue}`,
    });
    await tab.deltas.next((delta) => delta.messageId === sent.replyId && delta.seq >= 2);
    dropConnection(tab.client);

    const reply = await tab.finalReply(sent.replyId);
    expect(tab.joins).toBeGreaterThan(1);
    expect(reply.text).toBe(tokens.join(''));
    expect((await row(sent.replyId)).content).toBe(tokens.join(''));
    await tab.close();
  });
});

/**
 * Every way a reply starts — a new message, a regeneration, an edit — streams, survives a reload and stops the
 * same, also when the user looks at another branch of the chat meanwhile.
 */
type ReplyStart = (
  user: TestUser,
  sessionId: string,
  cue: string,
  script: FakeReplyScript,
) => Promise<string>;

const replyStarts: Record<string, ReplyStart> = {
  'a new message': async (user, sessionId, cue) => {
    const caller = await callerFor(user.headers);
    return (await caller.chat.send({ sessionId, clientMessageId: clientMessageId(), content: `Long ${cue}` }))
      .replyId;
  },
  'a regenerated reply, the older version shown meanwhile': async (user, sessionId, cue, script) => {
    const caller = await callerFor(user.headers);
    provider.script(cue, { tokens: ['Short'] });
    const sent = await caller.chat.send({
      sessionId,
      clientMessageId: clientMessageId(),
      content: `Q ${cue}`,
    });
    await startChatEngine().idle();
    provider.script(cue, script);
    const again = await caller.chat.regenerate({ messageId: sent.replyId });
    await caller.chat.switchBranch({ sessionId, messageId: sent.replyId });
    return again.replyId;
  },
  'the reply to an edited question': async (user, sessionId, cue) => {
    const caller = await callerFor(user.headers);
    const first = `cue-${clientMessageId()}`;
    provider.script(first, { tokens: ['Short'] });
    const sent = await caller.chat.send({
      sessionId,
      clientMessageId: clientMessageId(),
      content: `Q ${first}`,
    });
    await startChatEngine().idle();
    return (await caller.chat.editAndResend({ messageId: sent.userMessageId, content: `Edited ${cue}` }))
      .replyId;
  },
};

describe.each(Object.entries(replyStarts))('%s', (_how, startReply) => {
  it('a tab opened mid-stream (a reload) assembles exactly the final content', async () => {
    const { user, sessionId, tokens, cue, script } = await longReply();
    const first = await ReplySubscriber.open(user, sessionId);
    const replyId = await startReply(user, sessionId, cue, script);
    await first.deltas.next((delta) => delta.messageId === replyId && delta.seq >= 3);
    const reloaded = await ReplySubscriber.open(user, sessionId);
    expect(reloaded.assembler.get(replyId)?.settled).not.toBe(true);

    const reply = await reloaded.finalReply(replyId);
    expect(reply.text).toBe(tokens.join(''));
    expect((await row(replyId)).content).toBe(tokens.join(''));
    await Promise.all([first.close(), reloaded.close()]);
  });

  it('a reloaded tab gets the text so far at once (chat.replyProgress), never another user', async () => {
    const { user, sessionId, tokens, cue, script } = await longReply();
    const first = await ReplySubscriber.open(user, sessionId);
    const replyId = await startReply(user, sessionId, cue, script);
    const seen = await first.deltas.next((delta) => delta.messageId === replyId && delta.seq >= 3);

    // What the engine has sent so far, from its memory: at least what a subscriber has seen, byte for byte.
    const progress = await (await callerFor(user.headers)).chat.replyProgress({ messageId: replyId });
    expect(progress.status).toBe('streaming');
    expect(progress.streamSeq).toBeGreaterThanOrEqual(seen.seq);
    await first.deltas.next((delta) => delta.messageId === replyId && delta.seq >= progress.streamSeq);
    const sentUpToProgress = first.deltas.events
      .filter((delta) => delta.messageId === replyId && delta.seq <= progress.streamSeq)
      .map((delta) => delta.text)
      .join('');
    expect(progress.content).toBe(sentUpToProgress);

    const stranger = await signUpUser();
    await expectTrpcError(
      (await callerFor(stranger.headers)).chat.replyProgress({ messageId: replyId }),
      'NOT_FOUND',
    );
    expect((await first.finalReply(replyId)).text).toBe(tokens.join(''));
    const settled = await (await callerFor(user.headers)).chat.replyProgress({ messageId: replyId });
    expect(settled).toMatchObject({ status: 'complete', content: tokens.join('') });
    await first.close();
  });

  it('stop from a second tab ends the reply as stopped with exactly the text that had streamed', async () => {
    const { user, sessionId, tokens, cue, script } = await longReply();
    const tab = await ReplySubscriber.open(user, sessionId);
    const sent = { replyId: await startReply(user, sessionId, cue, script) };
    await tab.deltas.next((delta) => delta.messageId === sent.replyId && delta.seq >= 3);

    const secondTab = await callerFor(user.headers);
    expect(await secondTab.chat.stop({ messageId: sent.replyId })).toEqual({
      messageId: sent.replyId,
      status: 'stopping',
    });
    const reply = await tab.finalReply(sent.replyId);
    const stored = await row(sent.replyId);
    await tab.deltas.next((delta) => delta.messageId === sent.replyId && delta.seq === stored.stream_seq);

    expect(stored.status).toBe('stopped');
    expect(stored.content.length).toBeGreaterThan(0);
    expect(stored.content.length).toBeLessThan(tokens.join('').length);
    expect(tokens.join('').startsWith(stored.content)).toBe(true);
    expect(reply).toMatchObject({ status: 'stopped', text: stored.content });
    expect(tab.deltaText(sent.replyId)).toBe(stored.content);
    // stopping again is harmless and reports the final status
    expect(await secondTab.chat.stop({ messageId: sent.replyId })).toEqual({
      messageId: sent.replyId,
      status: 'stopped',
    });
    await tab.close();
  });
});

describe('chat.stop right after chat.send', () => {
  it('stops the reply before its first token: stopped, empty, the question kept', async () => {
    const user = await signUpUser();
    const caller = await callerFor(user.headers);
    const session = await caller.sessions.create({});
    const cue = `cue-${clientMessageId()}`;
    provider.script(cue, { tokens: ['never', ' shown'], firstTokenDelayMs: 1500 });
    const tab = await ReplySubscriber.open(user, session.id);
    const sent = await caller.chat.send({
      sessionId: session.id,
      clientMessageId: clientMessageId(),
      content: `Q ${cue}`,
    });
    await caller.chat.stop({ messageId: sent.replyId });
    expect(await tab.finalReply(sent.replyId)).toMatchObject({ status: 'stopped', text: '' });
    const { items } = await caller.messages.list({ sessionId: session.id });
    expect(items.map((m) => [m.role, m.status, m.content])).toEqual([
      ['user', 'complete', `Q ${cue}`],
      ['assistant', 'stopped', ''],
    ]);
    await tab.close();
  });
});

describe('session title', () => {
  it("reaches the user's sidebar through postgres_changes after the first reply", async () => {
    const user = await signUpUser();
    const caller = await callerFor(user.headers);
    const session = await caller.sessions.create({});
    const cue = `cue-${clientMessageId()}`;
    provider.script(cue, { tokens: ['Sure.'], nonStreaming: { tokens: ['Weekend hiking plan'] } });
    const tab = await ReplySubscriber.open(user, session.id);
    const titles = new EventInbox<string>();
    const sidebar = tab.client
      .channel('sidebar')
      .on(
        'postgres_changes',
        { event: 'UPDATE', schema: 'public', table: 'chat_sessions', filter: `user_id=eq.${user.id}` },
        (change) => titles.push(String((change.new as { title?: string }).title)),
      );
    await subscribed(sidebar);
    await caller.chat.send({
      sessionId: session.id,
      clientMessageId: clientMessageId(),
      content: `Hike ${cue}`,
    });
    expect(await titles.next((title) => title !== 'New chat')).toBe('Weekend hiking plan');
    await tab.close();
  });
});

async function longReply(): Promise<{
  user: TestUser;
  sessionId: string;
  tokens: string[];
  cue: string;
  script: FakeReplyScript;
}> {
  const user = await signUpUser();
  const session = await (await callerFor(user.headers)).sessions.create({});
  const cue = `cue-${clientMessageId()}`;
  const tokens = Array.from({ length: 120 }, (_, i) => (i % 10 === 9 ? ` 🎉${i}` : ` word${i}`));
  const script = { tokens, tokenDelayMs: 20 };
  provider.script(cue, script);
  return { user, sessionId: session.id, tokens, cue, script };
}
