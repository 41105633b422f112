import { z } from 'zod';
import { cursorInput } from '../pagination/keyset-cursor';
import { sessionId } from '../sessions/sessions.schema';

export const listMessagesInput = z
  .object({
    sessionId,
    cursor: cursorInput.optional(),
    limit: z.number().int().min(1).max(200).default(100),
    /** The newest `limit` messages of the path instead (oldest first, no further pages): a chat opening. */
    newest: z.boolean().default(false),
  })
  .refine((input) => !(input.newest && input.cursor), {
    message: 'A page of the newest messages takes no cursor',
    path: ['cursor'],
  });

export type ListMessagesInput = z.infer<typeof listMessagesInput>;
