/**
 * Reload mid-reply → caught up (issue 12). A reply streams at 50 tokens/s; a tab "reloads" at a random moment:
 * a new supabase-js client subscribes to the chat topic (deltas + the chat_messages rows), reads the rows, and
 * assembles the reply. Caught up = its text holds every delta the engine had sent when the reload began.
 * Two ways to fill the gap between the stored checkpoint and the first live delta, as the app did before and
 * does now (src/client/use-chat-controller.ts):
 *   checkpoint — wait for the next checkpoint row (about once a second);
 *   progress   — ask chat.replyProgress (the engine's memory) once subscribed, and on a gap.
 * Real stack, real engine in this process, the fake OpenAI-compatible provider on loopback.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import { startFakeLlmProvider } from '../tests/helpers/fake-llm-provider';
import { percentile, reportFigure } from './bench-report';

const RELOADS = 20;
const TOKENS_PER_SECOND = 50;

type Mode = 'checkpoint' | 'progress';

export async function main(): Promise<void> {
  const provider = await startFakeLlmProvider();
  process.env.AI_BASE_URL = provider.baseUrl;
  process.env.AI_API_KEY = 'bench-key';
  process.env.AI_MODELS = 'fake-model';
  const { startBenchApp } = await import('./bench-app');
  const app = await startBenchApp();
  const { startChatEngine } = await import('../src/server/chat-engine/chat-engine');
  const { ReplyAssembler } = await import('../src/client/reply-assembler');
  const { decodeReplyDelta, REPLY_DELTA_EVENT } = await import('../src/shared/reply-stream');
  const { replyTopic } = await import('../src/shared/realtime-topics');
  const { DEMO_ANON_KEY } = await import('../src/env');
  const engine = startChatEngine();
  await engine.start();

  async function reloadOnce(mode: Mode): Promise<number> {
    const user = await app.signUp(`reload-${randomUUID()}@example.test`, 'Reload');
    const caller = await app.callerFor(user.headers);
    const session = await caller.sessions.create({});
    const cue = `cue-${randomUUID()}`;
    const tokens = Array.from({ length: 300 }, (_, index) => ` word${index}`);
    provider.script(cue, { tokens, tokenDelayMs: 1000 / TOKENS_PER_SECOND });
    const { replyId } = await caller.chat.send({
      sessionId: session.id,
      clientMessageId: randomUUID(),
      content: `Stream for a while [${cue}]`,
    });
    // Reload 1.5–2.5 s in, anywhere between two checkpoints.
    await new Promise((resolve) => setTimeout(resolve, 1500 + Math.random() * 1000));

    const reloadedAt = performance.now();
    const target = engine.progressOf(replyId)?.seq ?? 0;
    const { token } = await caller.realtime.token();
    const client = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL ?? '', DEMO_ANON_KEY, {
      accessToken: async () => token,
    });
    await client.realtime.setAuth();
    let caughtUp: (at: number) => void = () => {};
    const done = new Promise<number>((resolve) => {
      caughtUp = resolve;
    });
    const catchUp = (messageId: string) =>
      caller.chat.replyProgress({ messageId }).then((progress) => assembler.applyRow(progress));
    const assembler = new ReplyAssembler({
      onChange: (reply) => {
        if (reply.messageId === replyId && reply.seq >= target) caughtUp(performance.now());
      },
      onGap: (messageId) => {
        if (mode === 'progress') void catchUp(messageId);
      },
    });
    const channel = client
      .channel(replyTopic(session.id), { config: { private: true } })
      .on('broadcast', { event: REPLY_DELTA_EVENT }, ({ payload }) => {
        const delta = decodeReplyDelta(payload);
        if (delta) assembler.applyDelta(delta);
      })
      .on(
        'postgres_changes',
        { event: 'UPDATE', schema: 'public', table: 'chat_messages', filter: `session_id=eq.${session.id}` },
        (change) => assembler.applyRow(change.new as never),
      );
    await new Promise<void>((resolve, reject) =>
      channel.subscribe((status, error) => {
        if (status === 'SUBSCRIBED') resolve();
        else if (status !== 'CLOSED') reject(new Error(`${status} ${error?.message ?? ''}`));
      }),
    );
    const page = await caller.messages.list({ sessionId: session.id, limit: 200 });
    for (const message of page.items) if (message.role === 'assistant') assembler.applyRow(message);
    if (mode === 'progress') await catchUp(replyId);
    const at = await done;

    await caller.chat.stop({ messageId: replyId });
    await client.removeAllChannels();
    await engine.idle();
    return at - reloadedAt;
  }

  try {
    for (const mode of ['checkpoint', 'progress'] as const) {
      await reloadOnce(mode); // warm up
      const samples: number[] = [];
      for (let i = 0; i < RELOADS; i++) samples.push(await reloadOnce(mode));
      reportFigure(`reload → caught up, ${mode}, p50`, percentile(samples, 50), 'ms');
      reportFigure(`reload → caught up, ${mode}, p95`, percentile(samples, 95), 'ms');
    }
  } finally {
    await engine.shutdown();
    await provider.close();
    await app.stop();
  }
}
