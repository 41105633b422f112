import 'server-only';
import { type ChatSession, toChatSession } from '@/shared/session-row';
import type { DB } from '../db';
import { NotFoundError } from '../domain-errors';
import { type Page, toPage } from '../pagination/keyset-cursor';
import { sessionsRepository } from './sessions.repository';
import type { ListSessionsInput } from './sessions.schema';

function found<T>(row: T | undefined): T {
  if (!row) throw new NotFoundError('Chat session');
  return row;
}

export const sessionsService = Object.freeze({
  async list(db: DB, userId: string, input: ListSessionsInput): Promise<Page<ChatSession>> {
    // One extra row tells whether another page exists.
    const rows = await sessionsRepository.list(db, userId, { ...input, limit: input.limit + 1 });
    return toPage(rows, input.limit, toChatSession);
  },

  async get(db: DB, userId: string, id: string): Promise<ChatSession> {
    return toChatSession(found(await sessionsRepository.find(db, userId, id)));
  },

  async create(db: DB, userId: string, input: { title?: string }): Promise<ChatSession> {
    return toChatSession(await sessionsRepository.insert(db, userId, input));
  },

  async rename(db: DB, userId: string, id: string, title: string): Promise<ChatSession> {
    return toChatSession(found(await sessionsRepository.update(db, userId, id, { title })));
  },

  async pin(db: DB, userId: string, id: string, pinned: boolean): Promise<ChatSession> {
    return toChatSession(
      found(await sessionsRepository.update(db, userId, id, { pinnedAt: pinned ? new Date() : null })),
    );
  },

  async delete(db: DB, userId: string, id: string): Promise<{ id: string }> {
    if (!(await sessionsRepository.delete(db, userId, id))) throw new NotFoundError('Chat session');
    return { id };
  },
});
