import { z } from 'zod';
import { cursorInput } from '../pagination/keyset-cursor';
import { sessionId } from '../sessions/sessions.schema';

export const listMessagesInput = z.object({
  sessionId,
  cursor: cursorInput.optional(),
  limit: z.number().int().min(1).max(200).default(100),
});

export type ListMessagesInput = z.infer<typeof listMessagesInput>;
