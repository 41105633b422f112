import { afterAll, describe, expect, it } from 'vitest';
import { startChatEngine } from '@/server/chat-engine/chat-engine';
import { provider } from '../engine/support/engine-env';
import { clientMessageId } from '../engine/support/reply-subscriber';
import { callerFor, signUpUser } from '../helpers/users';

afterAll(async () => {
  await startChatEngine().shutdown();
  await provider.close();
});

/** A word no other test writes. */
function word(name: string): string {
  return `${name}${crypto.randomUUID().replaceAll('-', '').slice(0, 10).replace(/[0-9]/g, 'q')}`;
}

/**
 * Search over messages written by the chat engine itself: a question is searchable once sent, a reply once it
 * has finished streaming, and every branch stays searchable after a regenerate or an edit.
 */
describe('search.chats over chats written by chat.send', () => {
  it('finds the question at once, the reply when finished, and both replies of a regenerated answer', async () => {
    const caller = await callerFor((await signUpUser()).headers);
    const [asked, answered, again, edited] = [word('asked'), word('answered'), word('again'), word('edited')];
    const search = async (text: string) =>
      (await caller.search.chats({ query: text })).items.map((hit) => ({
        sessionId: hit.sessionId,
        messageId: hit.message?.id,
      }));

    const cue = `cue-${clientMessageId()}`;
    provider.script(cue, { tokens: ['It is ', answered, ' indeed'], firstTokenDelayMs: 200 });
    const sent = await caller.chat.send({ clientMessageId: clientMessageId(), content: `${asked} ${cue}` });
    expect(await search(asked)).toEqual([{ sessionId: sent.sessionId, messageId: sent.userMessageId }]);
    await startChatEngine().idle();
    expect(await search(answered)).toEqual([{ sessionId: sent.sessionId, messageId: sent.replyId }]);

    provider.script(cue, { tokens: ['Now ', again] });
    const regenerated = await caller.chat.regenerate({ messageId: sent.replyId });
    await startChatEngine().idle();
    expect(await search(again)).toEqual([{ sessionId: sent.sessionId, messageId: regenerated.replyId }]);
    expect(await search(answered)).toEqual([{ sessionId: sent.sessionId, messageId: sent.replyId }]);

    const resent = await caller.chat.editAndResend({
      messageId: sent.userMessageId,
      content: `${edited} ${cue}`,
    });
    await startChatEngine().idle();
    expect(await search(edited)).toEqual([{ sessionId: sent.sessionId, messageId: resent.userMessageId }]);
    // The first question is on a branch the chat no longer shows; its words still find it.
    expect(await search(asked)).toEqual([{ sessionId: sent.sessionId, messageId: sent.userMessageId }]);
  });
});
