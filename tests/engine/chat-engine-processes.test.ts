import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { childEnv } from '@/env';
import { startChatEngine } from '@/server/chat-engine/chat-engine';
import { projectRoot } from '@/stack/project-paths';
import { adminDb } from '../helpers/database';
import { callerFor, signUpUser } from '../helpers/users';
import { provider } from './support/engine-env';
import { clientMessageId, ReplySubscriber } from './support/reply-subscriber';

const db = adminDb();
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) killGroup(child);
  await startChatEngine().shutdown();
  await provider.close();
  await db.destroy();
});

/** SIGKILL to the child's whole process group, as a crash (or OOM kill) would end it. */
function killGroup(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Starts the engine in a child process; resolves with its first stdout line. */
function startEngineProcess(
  args: string[],
  cookie = '',
  applicationName = 'chat-engine-child',
): Promise<{ child: ChildProcess; line: string }> {
  const databaseUrl = new URL(inject('databaseUrl'));
  databaseUrl.searchParams.set('application_name', applicationName);
  const child = spawn(
    path.join(projectRoot, 'node_modules/.bin/tsx'),
    ['--conditions=react-server', path.join(projectRoot, 'tests/engine/support/engine-child.ts'), ...args],
    {
      cwd: projectRoot,
      env: childEnv({
        DATABASE_URL: databaseUrl.toString(),
        NEXT_PUBLIC_SUPABASE_URL: inject('realtimeUrl'),
        APP_URL: 'http://localhost:3000',
        AI_BASE_URL: provider.baseUrl,
        AI_MODELS: 'fake-model',
        CHAT_CHECKPOINT_INTERVAL_MS: '200',
        CHAT_REPLY_LEASE_SECONDS: '2',
        CHILD_COOKIE: cookie,
      }),
      stdio: ['ignore', 'pipe', 'inherit'],
      // its own process group: tsx runs node as a child, and the kill must reach the engine itself
      detached: true,
    },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve({ child, line: out.slice(0, newline) });
    });
    child.once('exit', (code) => reject(new Error(`engine process exited with ${code} before answering`)));
  });
}

/** Resolves once Postgres has no session left of the killed process (its last write, if any, is in). */
async function connectionsGone(applicationName: string): Promise<void> {
  for (;;) {
    const { rows } = await sql<{ count: string }>`
      select count(*) from pg_stat_activity where application_name = ${applicationName}`.execute(db);
    if (Number(rows[0]?.count) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function row(id: string) {
  return db
    .selectFrom('chat_messages')
    .select(['content', 'status', 'stream_seq', 'metadata'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

describe('engine process killed mid-stream', () => {
  it('after a restart the reply is interrupted, keeping its last checkpoint; a live runner is left alone', async () => {
    const user = await signUpUser();
    const session = await (await callerFor(user.headers)).sessions.create({});
    const cue = `cue-${clientMessageId()}`;
    const tokens = Array.from({ length: 400 }, (_, i) => ` w${i}`);
    provider.script(cue, { tokens, tokenDelayMs: 20 });
    const tab = await ReplySubscriber.open(user, session.id);

    const { child, line } = await startEngineProcess(
      ['send', session.id, clientMessageId(), `Crash ${cue}`],
      user.headers.get('cookie') ?? '',
      'crashing-engine',
    );
    const sent = JSON.parse(line.replace(/^sent /, '')) as { replyId: string };
    // Wait for a checkpoint, then check another engine's sweep leaves the live reply alone.
    await tab.deltas.next((delta) => delta.messageId === sent.replyId && delta.seq >= 5);
    while ((await row(sent.replyId)).stream_seq === 0) await new Promise((r) => setTimeout(r, 50));
    expect(await startChatEngine().sweepOrphans()).not.toContain(sent.replyId);

    const exited = new Promise((resolve) => child.once('exit', resolve));
    killGroup(child);
    await exited;
    await connectionsGone('crashing-engine');
    const checkpoint = await row(sent.replyId);
    expect(checkpoint.status).toBe('streaming');
    expect(checkpoint.stream_seq).toBeGreaterThan(0);

    await startEngineProcess(['serve']);
    const reply = await tab.finalReply(sent.replyId);
    const stored = await row(sent.replyId);
    expect(stored).toMatchObject({
      status: 'interrupted',
      content: checkpoint.content,
      stream_seq: checkpoint.stream_seq,
    });
    expect(stored.metadata).toMatchObject({
      error: { code: 'interrupted', reason: expect.stringMatching(/restarted/) },
    });
    expect(tokens.join('').startsWith(stored.content)).toBe(true);
    expect(reply).toMatchObject({ status: 'interrupted', text: stored.content });
    await tab.close();
  });
});

describe('stop across instances', () => {
  it('chat.stop on this instance stops a reply streaming in another process (NOTIFY, else the row flag), keeping what streamed', async () => {
    const user = await signUpUser();
    const caller = await callerFor(user.headers);
    const session = await caller.sessions.create({});
    const cue = `cue-${clientMessageId()}`;
    const tokens = Array.from({ length: 400 }, (_, i) => ` s${i}`);
    provider.script(cue, { tokens, tokenDelayMs: 20 });
    const tab = await ReplySubscriber.open(user, session.id);
    const { line } = await startEngineProcess(
      ['send', session.id, clientMessageId(), `Stop elsewhere ${cue}`],
      user.headers.get('cookie') ?? '',
      'other-instance',
    );
    const sent = JSON.parse(line.replace(/^sent /, '')) as { replyId: string };
    await tab.deltas.next((delta) => delta.messageId === sent.replyId && delta.seq >= 3);

    expect(await caller.chat.stop({ messageId: sent.replyId })).toEqual({
      messageId: sent.replyId,
      status: 'stopping',
    });
    const reply = await tab.finalReply(sent.replyId);
    const stored = await row(sent.replyId);
    await tab.deltas.next((delta) => delta.messageId === sent.replyId && delta.seq === stored.stream_seq);
    expect(stored.status).toBe('stopped');
    expect(stored.content.length).toBeLessThan(tokens.join('').length);
    expect(tokens.join('').startsWith(stored.content)).toBe(true);
    expect(reply).toMatchObject({ status: 'stopped', text: stored.content });
    expect(tab.deltaText(sent.replyId)).toBe(stored.content);
    await tab.close();
  });
});
