import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as download } from '@/app/api/exports/[id]/route';
import { chatExportService } from '@/server/chat-export/chat-export.service';
import { adminDb } from '../helpers/database';
import { expectTrpcError } from '../helpers/trpc-errors';
import { APP_ORIGIN, callerFor, signUpUser, type TestUser } from '../helpers/users';
import { EventInbox } from '../realtime/support/event-inbox';
import { clientFor, subscribed, userToken } from '../realtime/support/realtime-fixture';

const db = adminDb();
afterAll(async () => {
  await chatExportService.idle();
  await db.destroy();
});

type JobEvent = { eventType: string; new: { id?: string; status?: string; exported_messages?: number } };

const SESSIONS = 150;
const MESSAGES_PER_SESSION = 4;

/** `SESSIONS` chats of `MESSAGES_PER_SESSION` messages each, with contents that say whose and which they are. */
async function fillChats(user: TestUser): Promise<void> {
  await sql`insert into chat_sessions (user_id, title, created_at)
    select ${user.id}, 'Chat ' || g, now() - g * interval '1 minute' from generate_series(1, ${SESSIONS}) g`.execute(
    db,
  );
  await sql`insert into chat_messages (session_id, user_id, role, content, model, created_at)
    select s.id, s.user_id, case when m % 2 = 1 then 'user' else 'assistant' end,
           'msg ' || m || ' of ' || s.title || E' — "quoted", \\ backslash, émoji 🎉\n## not a heading',
           case when m % 2 = 0 then 'fake-model' end,
           s.created_at + m * interval '1 second'
    from chat_sessions s cross join generate_series(1, ${MESSAGES_PER_SESSION}) m
    where s.user_id = ${user.id}`.execute(db);
}

function downloadRequest(jobId: string, format: string, headers: Headers) {
  return download(new Request(`${APP_ORIGIN}/api/exports/${jobId}?format=${format}`, { headers }), {
    params: Promise.resolve({ id: jobId }),
  });
}

describe('chat export', () => {
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    alice = await signUpUser('Alice');
    bob = await signUpUser('Bob');
    await fillChats(alice);
  });

  it('runs as a job whose status the browser watches over Realtime, in order, then offers both files', async () => {
    const inbox = new EventInbox<JobEvent>();
    const channel = (await clientFor(await userToken(alice.id)))
      .channel('alice-exports')
      .on(
        'postgres_changes',
        { event: '*', schema: 'public', table: 'export_jobs', filter: `user_id=eq.${alice.id}` },
        inbox.push,
      );
    await subscribed(channel);
    const bobInbox = new EventInbox<JobEvent>();
    await subscribed(
      (await clientFor(await userToken(bob.id)))
        .channel('bob-snooping')
        .on('postgres_changes', { event: '*', schema: 'public', table: 'export_jobs' }, bobInbox.push),
    );

    const api = await callerFor(alice.headers);
    const job = await api.exports.start();
    expect(job).toMatchObject({ status: 'queued', downloads: null });
    await inbox.next((event) => event.new.id === job.id && event.new.status === 'complete');

    const events = inbox.events.filter((event) => event.new.id === job.id);
    const statuses = events.map((event) => event.new.status);
    expect(statuses[0]).toBe('queued');
    expect(statuses.at(-1)).toBe('complete');
    // queued → running (with progress) → complete: never backwards, progress never shrinking
    const order = ['queued', 'running', 'complete'];
    const ranks = statuses.map((status) => order.indexOf(status ?? ''));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(statuses).toContain('running');
    const progress = events.map((event) => event.new.exported_messages ?? 0);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.filter((n) => n > 0 && n < SESSIONS * MESSAGES_PER_SESSION).length).toBeGreaterThan(0);
    expect(events.at(-1)?.new.exported_messages).toBe(SESSIONS * MESSAGES_PER_SESSION);
    expect(events.at(-1)?.new).not.toHaveProperty('json'); // files never ride on the events

    const done = await api.exports.get({ id: job.id });
    expect(done).toMatchObject({
      status: 'complete',
      totalMessages: SESSIONS * MESSAGES_PER_SESSION,
      exportedMessages: SESSIONS * MESSAGES_PER_SESSION,
      downloads: {
        json: `/api/exports/${job.id}?format=json`,
        markdown: `/api/exports/${job.id}?format=markdown`,
      },
    });

    const jsonResponse = await downloadRequest(job.id, 'json', alice.headers);
    expect(jsonResponse.status).toBe(200);
    expect(jsonResponse.headers.get('content-disposition')).toMatch(
      /^attachment; filename="chattwelve-export-.*\.json"$/,
    );
    const file = (await jsonResponse.json()) as {
      user: { id: string };
      sessions: { id: string; title: string; messages: { id: string; content: string }[] }[];
    };
    const stored = await db
      .selectFrom('chat_messages')
      .select(['id', 'content', 'session_id'])
      .where('user_id', '=', alice.id)
      .execute();
    const exported = file.sessions.flatMap((session) =>
      session.messages.map((m) => ({ ...m, session: session.id })),
    );
    expect(file.user.id).toBe(alice.id);
    expect(file.sessions).toHaveLength(SESSIONS);
    expect(exported.map((m) => [m.id, m.content, m.session]).sort()).toEqual(
      stored.map((m) => [m.id, m.content, m.session_id]).sort(),
    );

    const markdown = await (await downloadRequest(job.id, 'markdown', alice.headers)).text();
    for (const message of stored) expect(markdown).toContain(message.content);
    expect(markdown).toContain('## Chat 150');

    // A sentinel row of Bob's own, committed after Alice's job: once it arrives, Alice's would have too.
    const [sentinel] = await db
      .insertInto('export_jobs')
      .values({ user_id: bob.id, status: 'failed' })
      .returning('id')
      .execute();
    await bobInbox.next((event) => event.new.id === sentinel?.id);
    expect(bobInbox.events.map((event) => event.new.id)).toEqual([sentinel?.id]);
  });

  it("does not let another user, or nobody, read or download someone's export", async () => {
    const job = await (await callerFor(alice.headers)).exports.start();
    await chatExportService.idle();
    await expectTrpcError((await callerFor(bob.headers)).exports.get({ id: job.id }), 'NOT_FOUND');
    expect((await (await callerFor(bob.headers)).exports.list()).map((j) => j.id)).not.toContain(job.id);
    expect((await downloadRequest(job.id, 'json', bob.headers)).status).toBe(404);
    expect((await downloadRequest(job.id, 'json', new Headers({ origin: APP_ORIGIN }))).status).toBe(401);
    expect((await downloadRequest(job.id, 'exe', alice.headers)).status).toBe(404);
    expect((await downloadRequest('not-a-uuid', 'json', alice.headers)).status).toBe(404);
  });

  it('stops serving the files once the export expired', async () => {
    const job = await (await callerFor(alice.headers)).exports.start();
    await chatExportService.idle();
    await db
      .updateTable('export_jobs')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', job.id)
      .execute();
    expect((await downloadRequest(job.id, 'json', alice.headers)).status).toBe(404);
    expect((await (await callerFor(alice.headers)).exports.get({ id: job.id })).downloads).toBeNull();

    // The next export anyone starts deletes the expired file itself.
    await (await callerFor(bob.headers)).exports.start();
    await chatExportService.idle();
    const files = await db.selectFrom('export_files').select('job_id').where('job_id', '=', job.id).execute();
    expect(files).toEqual([]);
  });

  it('exports the whole tree: every version with its parent, the shown path first in Markdown', async () => {
    const dana = await signUpUser('Dana');
    const api = await callerFor(dana.headers);
    const session = await api.sessions.create({ title: 'Branched' });
    const write = (role: 'user' | 'assistant', content: string, parentId: string | null, second: number) =>
      db
        .insertInto('chat_messages')
        .values({
          session_id: session.id,
          user_id: dana.id,
          role,
          content,
          status: 'complete',
          parent_id: parentId,
          created_at: new Date(Date.parse('2026-02-01T00:00:00Z') + second * 1000),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    const q1 = await write('user', 'first question', null, 1);
    const a1 = await write('assistant', 'first answer', q1.id, 2);
    const q2 = await write('user', 'second question', a1.id, 3);
    const a2 = await write('assistant', 'second answer', q2.id, 4);
    const q1b = await write('user', 'first question, edited', null, 5);
    const a1b = await write('assistant', 'answer to the edit', q1b.id, 6);
    const a1c = await write('assistant', 'answer to the edit, regenerated', q1b.id, 7);
    await db
      .updateTable('chat_sessions')
      .set({ current_leaf_id: a1b.id })
      .where('id', '=', session.id)
      .execute();

    const job = await api.exports.start();
    await chatExportService.idle();
    const file = (await (await downloadRequest(job.id, 'json', dana.headers)).json()) as {
      sessions: { currentLeafId: string; messages: { id: string; parentId: string | null }[] }[];
    };
    expect(file.sessions[0]?.currentLeafId).toBe(a1b.id);
    expect(file.sessions[0]?.messages.map((m) => [m.id, m.parentId])).toEqual([
      [q1.id, null],
      [a1.id, q1.id],
      [q2.id, a1.id],
      [a2.id, q2.id],
      [q1b.id, null],
      [a1b.id, q1b.id],
      [a1c.id, q1b.id],
    ]);

    const markdown = await (await downloadRequest(job.id, 'markdown', dana.headers)).text();
    const order = [
      'first question, edited',
      'answer to the edit\n',
      'Other branch 1 (from the start)',
      'first question\n',
      'first answer',
      'second question',
      'second answer',
      'Other branch 2 (after message 1)',
      'answer to the edit, regenerated',
    ].map((text) => markdown.indexOf(text));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('runs one export at a time per user, and a job abandoned by a restart does not block the next', async () => {
    const carol = await signUpUser('Carol');
    const api = await callerFor(carol.headers);
    const [stuck] = await db
      .insertInto('export_jobs')
      .values({ user_id: carol.id, status: 'running' })
      .returning('id')
      .execute();
    await expectTrpcError(api.exports.start(), 'CONFLICT', /already running/);

    await db
      .updateTable('export_jobs')
      .set({ updated_at: new Date(Date.now() - 3600_000) })
      .where('id', '=', stuck?.id ?? '')
      .execute();
    const next = await api.exports.start();
    await chatExportService.idle();
    expect((await api.exports.get({ id: next.id })).status).toBe('complete');
    expect(await api.exports.get({ id: stuck?.id ?? '' })).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/restarted/),
    });
  });
});
