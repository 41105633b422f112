import { FAKE_MODEL, provider } from './support/engine-env';
import { afterAll, describe, expect, it } from 'vitest';
import { chatEngine } from '@/server/chat-engine/chat-engine';
import { adminDb } from '../helpers/database';
import { callerFor, signUpUser } from '../helpers/users';
import { clientMessageId, ReplySubscriber } from './support/reply-subscriber';

const db = adminDb();
afterAll(async () => {
  await chatEngine().shutdown();
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

    const sent = await caller.chat.send({ sessionId: session.id, clientMessageId: clientMessageId(), content: `Hi ${cue}` });
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
});
