import { adminDb } from '../../helpers/database';

/** The id of the account a browser test signed up, found by its email. */
export async function userIdByEmail(email: string): Promise<string> {
  const db = adminDb();
  try {
    const row = await db
      .selectFrom('profiles')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    return row.id;
  } finally {
    await db.destroy();
  }
}

/** Writes `count` sessions straight into the table, one minute apart (newest first is "Session 1"). */
export async function insertSessions(userId: string, count: number, prefix = 'Session'): Promise<void> {
  const db = adminDb();
  const now = Date.now();
  try {
    await db
      .insertInto('chat_sessions')
      .values(
        Array.from({ length: count }, (_, index) => {
          const at = new Date(now - (index + 1) * 60_000);
          return {
            user_id: userId,
            title: `${prefix} ${index + 1}`,
            created_at: at,
            updated_at: at,
            last_message_at: at,
          };
        }),
      )
      .execute();
  } finally {
    await db.destroy();
  }
}

/** A chat of `count` finished messages, "Message 1" the oldest, a second apart, written straight into the tables. */
export async function insertChatOfMessages(userId: string, count: number, title: string): Promise<string> {
  const db = adminDb();
  try {
    const session = await db
      .insertInto('chat_sessions')
      .values({ user_id: userId, title })
      .returning('id')
      .executeTakeFirstOrThrow();
    const start = Date.now() - count * 1000;
    await db
      .insertInto('chat_messages')
      .values(
        Array.from({ length: count }, (_, index) => ({
          session_id: session.id,
          user_id: userId,
          role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
          content: `Message ${index + 1}`,
          status: 'complete' as const,
          created_at: new Date(start + index * 1000),
        })),
      )
      .execute();
    return session.id;
  } finally {
    await db.destroy();
  }
}
