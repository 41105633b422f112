import { afterAll, describe, expect, it } from 'vitest';
import { startChatEngine } from '@/server/chat-engine/chat-engine';
import type { FakeReplyScript } from '../helpers/fake-llm-provider';
import { callerFor, signUpUser } from '../helpers/users';
import { provider } from './support/engine-env';
import { clientMessageId, ReplySubscriber } from './support/reply-subscriber';

afterAll(async () => {
  await startChatEngine().shutdown();
  await provider.close();
});

const tokens = Array.from({ length: 30 }, (_, i) => ` part${i}`);

/** Sends one message whose provider call follows `script`; returns what the user then sees. */
async function sendWith(script: FakeReplyScript) {
  const user = await signUpUser();
  const caller = await callerFor(user.headers);
  const session = await caller.sessions.create({});
  const cue = `cue-${clientMessageId()}`;
  provider.script(cue, script);
  const tab = await ReplySubscriber.open(user, session.id);
  const sent = await caller.chat.send({
    sessionId: session.id,
    clientMessageId: clientMessageId(),
    content: `Q ${cue}`,
  });
  const reply = await tab.finalReply(sent.replyId);
  const messages = (await caller.messages.list({ sessionId: session.id })).items;
  const question = messages.find((message) => message.id === sent.userMessageId);
  const stored = messages.find((message) => message.id === sent.replyId);
  await tab.close();
  return { reply, question, stored, content: `Q ${cue}` };
}

describe('provider faults end the reply in error, keeping the question and the partial text', () => {
  it('429 from the provider: error, reason says it is rate limiting', async () => {
    const { reply, question, stored, content } = await sendWith({
      tokens,
      fault: { kind: 'status', status: 429 },
    });
    expect(question?.content).toBe(content);
    expect(reply).toMatchObject({ status: 'error', text: '' });
    expect(stored?.metadata).toMatchObject({
      error: {
        code: 'provider_rate_limited',
        reason: expect.stringMatching(/rate limiting.*429.*Rate limit reached/),
      },
    });
  });

  it('500 from the provider: error, reason names the status and what the provider said', async () => {
    const { reply, question, stored } = await sendWith({
      tokens,
      fault: { kind: 'status', status: 500, message: 'model crashed' },
    });
    expect(question).toBeDefined();
    expect(reply.status).toBe('error');
    expect(stored?.metadata).toMatchObject({
      error: { code: 'provider_error', reason: expect.stringMatching(/HTTP 500.*model crashed/) },
    });
  });

  it('401 from the provider: error, reason says the API key was refused', async () => {
    const { reply, stored } = await sendWith({
      tokens,
      fault: { kind: 'status', status: 401, message: 'Incorrect API key provided' },
    });
    expect(reply.status).toBe('error');
    expect(stored?.metadata).toMatchObject({
      error: {
        code: 'provider_auth',
        reason: expect.stringMatching(/refused the API key.*401.*Incorrect API key/),
      },
    });
  });

  it('connection dropped mid-stream: error, the text received so far is kept', async () => {
    const { reply, question, stored } = await sendWith({
      tokens,
      tokenDelayMs: 5,
      fault: { kind: 'drop', afterTokens: 8 },
    });
    expect(question).toBeDefined();
    expect(reply.status).toBe('error');
    expect(stored?.content.length).toBeGreaterThan(0);
    expect(tokens.join('').startsWith(stored?.content ?? '-')).toBe(true);
    expect(stored?.content.length).toBeLessThan(tokens.join('').length);
    expect(reply.text).toBe(stored?.content);
    expect(stored?.metadata).toMatchObject({
      error: {
        code: 'provider_disconnected',
        reason: expect.stringMatching(/ended before the reply was complete/),
      },
    });
  });

  it('provider stalls mid-stream: error after the stall limit, the text received so far is kept', async () => {
    const { reply, stored } = await sendWith({
      tokens,
      tokenDelayMs: 5,
      fault: { kind: 'stall', afterTokens: 6 },
    });
    expect(reply.status).toBe('error');
    expect(stored?.content).toBe(tokens.slice(0, 6).join(''));
    expect(stored?.metadata).toMatchObject({
      error: { code: 'provider_stalled', reason: expect.stringMatching(/sent nothing for \d+ s/) },
    });
  });

  it('provider stalls before the first token: error, empty reply, question kept', async () => {
    const { reply, question, stored } = await sendWith({ tokens, fault: { kind: 'stall', afterTokens: 0 } });
    expect(question).toBeDefined();
    expect(reply).toMatchObject({ status: 'error', text: '' });
    expect(stored?.metadata).toMatchObject({ error: { code: 'provider_stalled' } });
  });
});
