import { z } from 'zod';
import { cursorInput } from '../pagination/keyset-cursor';

export const searchChatsInput = z.object({
  query: z
    .string()
    .trim()
    .min(1, 'Search text is empty')
    .max(200, 'Search text is longer than 200 characters'),
  cursor: cursorInput.optional(),
  limit: z.number().int().min(1).max(50).default(20),
});

export type SearchChatsInput = z.infer<typeof searchChatsInput>;
