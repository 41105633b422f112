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
