import { z } from 'zod';
import { cursorInput } from '../pagination/keyset-cursor';

export const sessionId = z.uuid({ message: 'Invalid session id' });
export const sessionTitle = z
  .string()
  .trim()
  .min(1, 'Title is empty')
  .max(200, 'Title is longer than 200 characters');

export const listSessionsInput = z.object({
  cursor: cursorInput.optional(),
  limit: z.number().int().min(1).max(100).default(30),
  search: z.string().trim().max(200).optional(),
});
export const getSessionInput = z.object({ id: sessionId });
export const createSessionInput = z.object({ title: sessionTitle.optional() });
export const renameSessionInput = z.object({ id: sessionId, title: sessionTitle });
export const pinSessionInput = z.object({ id: sessionId, pinned: z.boolean() });
export const deleteSessionInput = z.object({ id: sessionId });

export type ListSessionsInput = z.infer<typeof listSessionsInput>;
