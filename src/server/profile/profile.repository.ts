import type { DB } from '../db';

const columns = ['id', 'email', 'display_name', 'avatar_url', 'created_at', 'updated_at'] as const;

export const profileRepository = Object.freeze({
  async insertIfMissing(db: DB, profile: { id: string; email: string; displayName: string | null }) {
    await db
      .insertInto('profiles')
      .values({ id: profile.id, email: profile.email, display_name: profile.displayName })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  },

  async find(db: DB, userId: string) {
    return db.selectFrom('profiles').select(columns).where('id', '=', userId).executeTakeFirst();
  },

  async update(db: DB, userId: string, changes: { displayName?: string | null; avatarUrl?: string | null }) {
    return db
      .updateTable('profiles')
      .set({
        ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
        ...(changes.avatarUrl !== undefined ? { avatar_url: changes.avatarUrl } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', userId)
      .returning(columns)
      .executeTakeFirst();
  },
});
