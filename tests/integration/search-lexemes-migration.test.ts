import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureDatabase, setUpDatabase } from '@/stack/database-setup';
import { migrationsDir } from '@/stack/project-paths';

const WORDS_MIGRATION = '0023_chat_session_words.sql';

/**
 * A database as it was before chats kept their words for search, with chats in it (a finished exchange, a
 * reply still streaming, messages in two branches, an empty chat); then migration 0023 runs over it, and the
 * chats' words follow what is written afterwards.
 */
describe('migration 0023 gives each chat the words of its finished messages', () => {
  let dir: string;
  let client: pg.Client;
  let url: string;
  const userId = `user-${crypto.randomUUID()}`;
  let exchange: string;
  let streamingReply: string;
  let branched: string;
  let empty: string;

  async function newChat(title: string) {
    const { rows } = await client.query<{ id: string }>(
      'insert into chat_sessions (user_id, title) values ($1, $2) returning id',
      [userId, title],
    );
    return rows[0]?.id as string;
  }

  async function newMessage(
    sessionId: string,
    content: string,
    options: { status?: string; parent?: string | null } = {},
  ) {
    const { rows } = await client.query<{ id: string }>(
      `insert into chat_messages (session_id, user_id, role, content, status, parent_id)
       values ($1, $2, 'assistant', $3, $4, $5) returning id`,
      [sessionId, userId, content, options.status ?? 'complete', options.parent ?? null],
    );
    return rows[0]?.id as string;
  }

  /** The chat's words, sorted; null when not known; undefined without a row (no finished message yet). */
  async function wordsOf(sessionId: string) {
    const { rows } = await client.query<{ words: string[] | null }>(
      'select tsvector_to_array(words) as words from chat_session_words where session_id = $1',
      [sessionId],
    );
    return rows[0] ? rows[0].words : undefined;
  }

  /** The row versions of the chat and of its words: each changes only when its row is written. */
  async function versionsOf(sessionId: string) {
    const { rows } = await client.query<{ chat: string; words: string | null }>(
      `select s.xmin::text as chat, w.xmin::text as words
       from chat_sessions s left join chat_session_words w on w.session_id = s.id where s.id = $1`,
      [sessionId],
    );
    return rows[0];
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    const files = (await readdir(migrationsDir)).filter((file) => file.endsWith('.sql'));
    for (const file of files.filter((name) => name < WORDS_MIGRATION)) {
      await cp(path.join(migrationsDir, file), path.join(dir, file));
    }
    url = await ensureDatabase(
      inject('databaseUrl'),
      `lexemes_migration_${crypto.randomUUID().replaceAll('-', '')}`,
    );
    await setUpDatabase(url, { migrations: dir });
    client = new pg.Client({ connectionString: url });
    await client.connect();

    await client.query(
      `insert into better_auth."user" (id, name, email, "emailVerified") values ($1, 'Old', $2, true)`,
      [userId, `${userId}@example.test`],
    );
    exchange = await newChat('Fruit');
    const question = await newMessage(exchange, 'Red apples?');
    await newMessage(exchange, 'Green pears, café', { parent: question });
    streamingReply = await newMessage(exchange, 'so far marmalade', {
      status: 'streaming',
      parent: question,
    });
    branched = await newChat('Branches');
    const root = await newMessage(branched, 'start');
    await newMessage(branched, 'left branch', { parent: root });
    await newMessage(branched, 'right branch', { parent: root });
    empty = await newChat('Empty');

    await cp(path.join(migrationsDir, WORDS_MIGRATION), path.join(dir, WORDS_MIGRATION));
    const applied = await setUpDatabase(url, { migrations: dir });
    expect(applied.migrationsApplied).toEqual([WORDS_MIGRATION.replace(/\.sql$/, '')]);
  });

  afterAll(async () => {
    await client?.end();
    await rm(dir, { recursive: true, force: true });
  });

  it('collects the words of every finished message of every branch, accents aside, and none of a streaming reply', async () => {
    expect(await wordsOf(exchange)).toEqual(['apples', 'cafe', 'green', 'pears', 'red']);
    expect(await wordsOf(branched)).toEqual(['branch', 'left', 'right', 'start']);
    expect(await wordsOf(empty)).toBeUndefined();
  });

  it("adds a reply's words when it stops streaming, and writes nothing at its checkpoints", async () => {
    const before = await versionsOf(exchange);
    await client.query(
      `update chat_messages set content = 'so far marmalade and toast', stream_seq = 2 where id = $1`,
      [streamingReply],
    );
    expect(await versionsOf(exchange)).toEqual(before);
    expect(await wordsOf(exchange)).not.toContain('marmalade');

    await client.query(`update chat_messages set status = 'complete' where id = $1`, [streamingReply]);
    expect(await wordsOf(exchange)).toEqual([
      'and',
      'apples',
      'cafe',
      'far',
      'green',
      'marmalade',
      'pears',
      'red',
      'so',
      'toast',
    ]);
  });

  it('adds the words of a message written finished, and does not rewrite the chat for words it has', async () => {
    const chat = await newChat('Later');
    await newMessage(chat, 'brand new words');
    expect(await wordsOf(chat)).toEqual(['brand', 'new', 'words']);

    const before = await versionsOf(chat);
    await newMessage(chat, 'new words, brand');
    expect(await versionsOf(chat)).toEqual(before);
  });

  it('forgets the words of a chat that outgrows 64 kB (search then reads its messages) and keeps accepting messages', async () => {
    const chat = await newChat('Huge');
    // 5000 words of letters only (digits would make some of them numbers the parser splits).
    const manyWords = (prefix: string) =>
      Array.from(
        { length: 5000 },
        (_, index) =>
          prefix +
          [...index.toString(26).padStart(6, '0')]
            .map((digit) => 'abcdefghijklmnopqrstuvwxyz'[Number.parseInt(digit, 26)])
            .join(''),
      ).join(' ');
    await newMessage(chat, manyWords('a'));
    expect(await wordsOf(chat)).toHaveLength(5000);
    await newMessage(chat, manyWords('b'));
    expect(await wordsOf(chat)).toBeNull();
    await newMessage(chat, 'one more');
    expect(await wordsOf(chat)).toBeNull();

    // One message of 100k characters (what a message's search indexes at most) with 10k words of its own.
    const single = await newChat('One huge message');
    await newMessage(single, `${manyWords('c')} ${manyWords('d')}`);
    expect(await wordsOf(single)).toBeNull();
  });

  it('keeps the words of messages finished at the same time in one chat, first words or not', async () => {
    const writers = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    await Promise.all(writers.map((writer) => writer.connect()));
    try {
      const [first, second] = writers as [pg.Client, pg.Client];
      const pids = await Promise.all(
        writers.map(
          async (writer) =>
            (await writer.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid,
        ),
      );
      const write = (writer: pg.Client, sessionId: string, content: string) =>
        writer.query(
          `insert into chat_messages (session_id, user_id, role, content, parent_id) values ($1, $2, 'user', $3, null)`,
          [sessionId, userId, content],
        );
      const secondIsWaiting = async () =>
        (
          await client.query<{ waiting: boolean }>(
            `select wait_event_type = 'Lock' as waiting from pg_stat_activity where pid = $1`,
            [pids[1]],
          )
        ).rows[0]?.waiting;

      for (const existing of [undefined, 'earlier words']) {
        const chat = await newChat('Both at once');
        if (existing) await newMessage(chat, existing);
        await first.query('begin');
        await write(first, chat, 'from the first');
        await second.query('begin');
        const secondWrite = write(second, chat, 'second one too').then(() => second.query('commit'));
        // The second waits for the first's words (a row it inserted, or locked), then adds to them.
        await expect.poll(secondIsWaiting, { timeout: 10_000 }).toBe(true);
        await first.query('commit');
        await secondWrite;
        expect(await wordsOf(chat)).toEqual(
          [...(existing ? ['earlier', 'words'] : []), 'first', 'from', 'one', 'second', 'the', 'too'].sort(),
        );
      }
    } finally {
      await Promise.all(writers.map((writer) => writer.end()));
    }
  });
});
