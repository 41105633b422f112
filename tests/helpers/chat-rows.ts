import type { Kysely } from 'kysely';
import type { Database } from '@/server/database-types';

/** Writes an exchange straight into the tables, as the chat engine would, for tests of reading paths. */
export async function insertExchange(
  db: Kysely<Database>,
  userId: string,
  sessionId: string,
  question: string,
  answer: string,
  at = new Date(),
) {
  return db
    .insertInto('chat_messages')
    .values([
      { session_id: sessionId, user_id: userId, role: 'user', content: question, created_at: at },
      {
        session_id: sessionId,
        user_id: userId,
        role: 'assistant',
        content: answer,
        status: 'complete',
        created_at: new Date(at.getTime() + 1),
      },
    ])
    .returning(['id', 'role', 'content'])
    .execute();
}
