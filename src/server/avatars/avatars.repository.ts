import 'server-only';
import { sql } from 'kysely';
import type { DB } from '../db';
import type { AvatarContentType } from './avatar-image-type';

export const avatarsRepository = Object.freeze({
  /** Stores the user's picture (replacing any), with a new version. */
  async upsert(db: DB, userId: string, contentType: AvatarContentType, bytes: Uint8Array) {
    return db
      .insertInto('avatars')
      .values({ user_id: userId, content_type: contentType, bytes: Buffer.from(bytes) })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({
          content_type: contentType,
          bytes: Buffer.from(bytes),
          version: sql`gen_random_uuid()`,
          updated_at: sql`now()`,
        }),
      )
      .returning(['version', 'updated_at'])
      .executeTakeFirstOrThrow();
  },

  async findVersion(db: DB, userId: string) {
    return db.selectFrom('avatars').select(['version']).where('user_id', '=', userId).executeTakeFirst();
  },

  /** The picture, only in the version a signed link names. */
  async findImage(db: DB, userId: string, version: string) {
    return db
      .selectFrom('avatars')
      .select(['content_type', 'bytes'])
      .where('user_id', '=', userId)
      .where('version', '=', version)
      .executeTakeFirst();
  },

  async delete(db: DB, userId: string): Promise<boolean> {
    const result = await db.deleteFrom('avatars').where('user_id', '=', userId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  },
});
