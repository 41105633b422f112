import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureDatabase, setUpDatabase } from '@/stack/database-setup';
import { migrationsDir } from '@/stack/project-paths';

const TREE_MIGRATION = '0021_message_tree.sql';

/**
 * A database as it was before conversations became trees, with chats in it; then migration 0021 runs over it.
 */
describe('migration 0021 converts existing chats into one path each', () => {
  let dir: string;
  let client: pg.Client;
  const userId = `user-${crypto.randomUUID()}`;
  const chats: { sessionId: string; messageIds: string[] }[] = [];
  let emptySessionId: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    const files = (await readdir(migrationsDir)).filter((file) => file.endsWith('.sql'));
    for (const file of files.filter((name) => name < TREE_MIGRATION)) {
      await cp(path.join(migrationsDir, file), path.join(dir, file));
    }
    const url = await ensureDatabase(
      inject('databaseUrl'),
      `tree_migration_${crypto.randomUUID().replaceAll('-', '')}`,
    );
    await setUpDatabase(url, { migrations: dir });
    client = new pg.Client({ connectionString: url });
    await client.connect();

    await client.query(
      `insert into better_auth."user" (id, name, email, "emailVerified") values ($1, 'Old', $2, true)`,
      [userId, `${userId}@example.test`],
    );
    for (const length of [4, 1, 3]) {
      const { rows } = await client.query<{ id: string }>(
        `insert into chat_sessions (user_id, title) values ($1, 'Old chat') returning id`,
        [userId],
      );
      const sessionId = rows[0]?.id ?? '';
      const messageIds: string[] = [];
      // Written out of order on purpose: the conversion follows created_at, not insertion order.
      const base = Date.parse('2026-01-01T00:00:00Z');
      const times = Array.from({ length }, (_, index) => new Date(base + index * 1000)).reverse();
      for (const [offset, at] of times.entries()) {
        const index = length - 1 - offset;
        const inserted = await client.query<{ id: string }>(
          `insert into chat_messages (session_id, user_id, role, content, created_at)
           values ($1, $2, $3, $4, $5) returning id`,
          [sessionId, userId, index % 2 === 0 ? 'user' : 'assistant', `message ${index}`, at],
        );
        messageIds[index] = inserted.rows[0]?.id ?? '';
      }
      chats.push({ sessionId, messageIds });
    }
    emptySessionId = (
      await client.query<{ id: string }>(
        `insert into chat_sessions (user_id, title) values ($1, 'Empty') returning id`,
        [userId],
      )
    ).rows[0]?.id as string;

    await cp(path.join(migrationsDir, TREE_MIGRATION), path.join(dir, TREE_MIGRATION));
    const applied = await setUpDatabase(url, { migrations: dir });
    expect(applied.migrationsApplied).toEqual([TREE_MIGRATION.replace(/\.sql$/, '')]);
  });

  afterAll(async () => {
    await client?.end();
    await rm(dir, { recursive: true, force: true });
  });

  async function parentsOf(sessionId: string) {
    const { rows } = await client.query<{ id: string; parent_id: string | null }>(
      'select id, parent_id from chat_messages where session_id = $1 order by created_at, id',
      [sessionId],
    );
    return rows;
  }

  async function leafOf(sessionId: string) {
    const { rows } = await client.query<{ current_leaf_id: string | null }>(
      'select current_leaf_id from chat_sessions where id = $1',
      [sessionId],
    );
    return rows[0]?.current_leaf_id;
  }

  it('hangs every message under the one written before it, and shows each chat up to its last message', async () => {
    for (const { sessionId, messageIds } of chats) {
      expect(await parentsOf(sessionId)).toEqual(
        messageIds.map((id, index) => ({ id, parent_id: index === 0 ? null : messageIds[index - 1] })),
      );
      expect(await leafOf(sessionId)).toBe(messageIds.at(-1));
    }
    expect(await leafOf(emptySessionId)).toBeNull();
  });

  it('refuses to hang a message under a message of another chat', async () => {
    const [first, second] = chats;
    await expect(
      client.query(
        `insert into chat_messages (session_id, user_id, role, content, parent_id) values ($1, $2, 'user', 'x', $3)`,
        [first?.sessionId, userId, second?.messageIds[0]],
      ),
    ).rejects.toMatchObject({ code: '23503' });
    await expect(
      client.query('update chat_sessions set current_leaf_id = $2 where id = $1', [
        first?.sessionId,
        second?.messageIds[0],
      ]),
    ).rejects.toMatchObject({ code: '23503' });
  });

  it('a writer that knows nothing of parents still appends to the end of the chat', async () => {
    const chat = chats[0];
    if (!chat) throw new Error('no chat');
    const { rows } = await client.query<{ id: string; parent_id: string | null }>(
      `insert into chat_messages (session_id, user_id, role, content, created_at)
       values ($1, $2, 'user', 'appended by an old app', now()) returning id, parent_id`,
      [chat.sessionId, userId],
    );
    expect(rows[0]?.parent_id).toBe(chat.messageIds.at(-1));
    // null: the session shows its newest path, which now ends at the appended message
    expect(await leafOf(chat.sessionId)).toBeNull();
  });

  it('deleting a chat or its owner still removes every message', async () => {
    const chat = chats[2];
    await client.query('delete from chat_sessions where id = $1', [chat?.sessionId]);
    expect(await parentsOf(chat?.sessionId ?? '')).toEqual([]);
    await client.query('delete from better_auth."user" where id = $1', [userId]);
    const { rows } = await client.query('select 1 from chat_messages where user_id = $1', [userId]);
    expect(rows).toEqual([]);
  });
});
