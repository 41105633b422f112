import { afterAll, describe, expect, inject, it } from 'vitest';
import { startChatEngine } from '@/server/chat-engine/chat-engine';
import { callerFor, signUpUser } from '../helpers/users';
import { clientMessageId, ReplySubscriber } from './support/reply-subscriber';

// A fresh install: no provider configured at all (read by src/env.ts on first use, which comes later).
for (const key of ['AI_BASE_URL', 'AI_API_KEY', 'AI_MODELS', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY']) {
  delete process.env[key];
}
process.env.NEXT_PUBLIC_SUPABASE_URL = inject('realtimeUrl');

afterAll(() => startChatEngine().shutdown());

describe('with no AI provider configured', () => {
  it('offers the offline demo model, labelled as such, and it streams a complete reply', async () => {
    const user = await signUpUser();
    const caller = await callerFor(user.headers);
    const { models, defaultModelId } = await caller.models.list();
    expect(models).toEqual([
      {
        id: 'demo/offline',
        label: 'Demo (offline, no AI provider configured)',
        provider: 'demo',
        isDemo: true,
      },
    ]);
    expect(defaultModelId).toBe('demo/offline');

    const session = await caller.sessions.create({});
    const tab = await ReplySubscriber.open(user, session.id);
    const sent = await caller.chat.send({
      sessionId: session.id,
      clientMessageId: clientMessageId(),
      content: 'What can you do for me today?',
    });
    const reply = await tab.finalReply(sent.replyId);
    expect(reply.status).toBe('complete');
    expect(reply.text).toMatch(/offline demo model/);
    expect(reply.text).toMatch(/What can you do for me today\?/);
    expect(tab.deltas.count((delta) => delta.messageId === sent.replyId)).toBeGreaterThan(5);
    await startChatEngine().idle();
    expect((await caller.sessions.get({ id: session.id })).title).toBe('What can you do for me…');
    await tab.close();
  });
});
