import type { DB } from '../db';

const columns = ['id', 'user_id', 'name', 'content', 'is_default', 'created_at', 'updated_at'] as const;

export type PromptRow = Awaited<ReturnType<typeof promptsRepository.listVisible>>[number];

export const promptsRepository = Object.freeze({
  /** The user's own prompts and the global ones (user_id null), globals first. */
  async listVisible(db: DB, userId: string) {
    return db
      .selectFrom('system_prompts')
      .select(columns)
      .where((eb) => eb.or([eb('user_id', '=', userId), eb('user_id', 'is', null)]))
      .orderBy((eb) => eb('user_id', 'is not', null))
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
  },

  async insert(db: DB, userId: string, values: { name: string; content: string; isDefault: boolean }) {
    return db
      .insertInto('system_prompts')
      .values({ user_id: userId, name: values.name, content: values.content, is_default: values.isDefault })
      .returning(columns)
      .executeTakeFirstOrThrow();
  },

  async update(
    db: DB,
    userId: string,
    id: string,
    changes: { name?: string; content?: string; isDefault?: boolean },
  ) {
    return db
      .updateTable('system_prompts')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.content !== undefined ? { content: changes.content } : {}),
        ...(changes.isDefault !== undefined ? { is_default: changes.isDefault } : {}),
        updated_at: new Date(),
      })
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .returning(columns)
      .executeTakeFirst();
  },

  async clearDefault(db: DB, userId: string): Promise<void> {
    await db
      .updateTable('system_prompts')
      .set({ is_default: false, updated_at: new Date() })
      .where('user_id', '=', userId)
      .where('is_default', '=', true)
      .execute();
  },

  async delete(db: DB, userId: string, id: string): Promise<boolean> {
    const result = await db
      .deleteFrom('system_prompts')
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  },
});
