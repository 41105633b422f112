import { randomUUID } from 'node:crypto';
import type pg from 'pg';

// The app's rows (BetterAuth users, chat_sessions, chat_messages) written straight over pg, for the
// integration tests of the app's realtime policies and triggers. The realtime server's own tests use tables of
// their own (tests/realtime/support/test-tables.ts).

/** A BetterAuth user row, inserted directly (realtime tests need ids, not sign-in). */
export async function createUser(db: pg.Pool): Promise<string> {
  const id = `rt-${randomUUID()}`;
  await db.query(
    `insert into better_auth."user" (id, name, email, "emailVerified", "createdAt", "updatedAt")
     values ($1, 'Realtime Tester', $2, true, now(), now())`,
    [id, `${id}@example.test`],
  );
  return id;
}

export async function createChatSession(
  db: pg.Pool,
  userId: string,
  title = 'Realtime chat',
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'insert into chat_sessions (user_id, title) values ($1, $2) returning id',
    [userId, title],
  );
  return (rows[0] as { id: string }).id;
}

export interface MessageFields {
  content?: string;
  role?: 'user' | 'assistant' | 'system';
  stream_seq?: number;
  model?: string | null;
  status?: string;
  metadata?: Record<string, unknown>;
}

export async function insertMessage(
  db: pg.Pool,
  userId: string,
  sessionId: string,
  fields: MessageFields = {},
) {
  const { rows } = await db.query<{ id: string }>(
    `insert into chat_messages (session_id, user_id, role, content, stream_seq, model, status, metadata)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
    [
      sessionId,
      userId,
      fields.role ?? 'user',
      fields.content ?? 'hello',
      fields.stream_seq ?? 0,
      fields.model ?? null,
      fields.status ?? 'complete',
      JSON.stringify(fields.metadata ?? {}),
    ],
  );
  return (rows[0] as { id: string }).id;
}
