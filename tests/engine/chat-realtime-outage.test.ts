import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { env } from '@/env';
import { ChatEngine, engineSettingsFromEnv } from '@/server/chat-engine/chat-engine';
import { modelCatalog } from '@/server/chat-engine/model-catalog';
import { db } from '@/server/db';
import { freePort } from '@/stack/free-port';
import { callerFor, signUpUser } from '../helpers/users';
import { provider } from './support/engine-env';
import { clientMessageId } from './support/reply-subscriber';

const engines: ChatEngine[] = [];
afterAll(async () => {
  for (const engine of engines) await engine.shutdown();
  await provider.close();
});

describe('Realtime unreachable', () => {
  it('the reply still streams to completion into its row, which any tab reads', async () => {
    const user = await signUpUser();
    const caller = await callerFor(user.headers);
    const session = await caller.sessions.create({});
    const cue = `cue-${clientMessageId()}`;
    const tokens = Array.from({ length: 30 }, (_, i) => ` x${i}`);
    provider.script(cue, { tokens, tokenDelayMs: 5 });
    // The question and its placeholder as chat.send writes them, for an engine whose Realtime is gone.
    const { rows } = await sql<{ id: string }>`
      with q as (
        insert into chat_messages (session_id, user_id, role, content, status, created_at)
        values (${session.id}, ${user.id}, 'user', ${`Q ${cue}`}, 'complete', clock_timestamp()) returning id
      )
      insert into chat_messages (session_id, user_id, role, content, status, model, reply_to_id, lease_expires_at, created_at)
      select ${session.id}, ${user.id}, 'assistant', '', 'streaming', 'openai-compatible/fake-model', q.id,
             now() + interval '30 seconds', clock_timestamp() + interval '1 millisecond'
      from q returning id`.execute(db());
    const replyId = rows[0]?.id ?? '';

    const engine = new ChatEngine({
      db: db(),
      databaseUrl: env().DATABASE_URL,
      supabaseUrl: `http://127.0.0.1:${await freePort()}`,
      serviceRoleKey: env().SUPABASE_SERVICE_ROLE_KEY,
      catalog: modelCatalog(),
      settings: engineSettingsFromEnv(),
      log: () => {},
    });
    engines.push(engine);
    engine.startReply(replyId);
    await engine.idle();

    const { items } = await caller.messages.list({ sessionId: session.id });
    expect(items.find((m) => m.id === replyId)).toMatchObject({
      status: 'complete',
      content: tokens.join(''),
    });
    expect(engine.publisherStats.dropped).toBeGreaterThan(0);
  });
});
