import type { DB } from '../db';
import { NotFoundError } from '../domain-errors';
import { type PromptRow, promptsRepository } from './prompts.repository';

export interface SystemPrompt {
  id: string;
  name: string;
  content: string;
  isDefault: boolean;
  /** Shared by everyone and read-only. */
  isGlobal: boolean;
  createdAt: Date;
  updatedAt: Date;
}

function toSystemPrompt(row: PromptRow): SystemPrompt {
  return {
    id: row.id,
    name: row.name,
    content: row.content,
    isDefault: row.is_default,
    isGlobal: row.user_id === null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function found<T>(row: T | undefined): T {
  if (!row) throw new NotFoundError('System prompt');
  return row;
}

export const promptsService = Object.freeze({
  async list(db: DB, userId: string): Promise<SystemPrompt[]> {
    return (await promptsRepository.listVisible(db, userId)).map(toSystemPrompt);
  },

  async create(db: DB, userId: string, input: { name: string; content: string; isDefault: boolean }) {
    return db.transaction().execute(async (trx) => {
      if (input.isDefault) await promptsRepository.clearDefault(trx, userId);
      return toSystemPrompt(await promptsRepository.insert(trx, userId, input));
    });
  },

  async update(db: DB, userId: string, id: string, changes: { name?: string; content?: string }) {
    return toSystemPrompt(found(await promptsRepository.update(db, userId, id, changes)));
  },

  async delete(db: DB, userId: string, id: string): Promise<{ id: string }> {
    if (!(await promptsRepository.delete(db, userId, id))) throw new NotFoundError('System prompt');
    return { id };
  },

  /** Makes one of the user's own prompts their default; null falls back to the global default. */
  async setDefault(db: DB, userId: string, id: string | null): Promise<SystemPrompt | null> {
    return db.transaction().execute(async (trx) => {
      await promptsRepository.clearDefault(trx, userId);
      if (id === null) return null;
      return toSystemPrompt(found(await promptsRepository.update(trx, userId, id, { isDefault: true })));
    });
  },
});
