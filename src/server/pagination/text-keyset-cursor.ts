import { z } from 'zod';

/**
 * An opaque keyset cursor whose id is any text (keyset-cursor.ts takes uuids only): the sort timestamp as Postgres text (microseconds intact) and
 * the row id as text (BetterAuth user ids are not uuids; audit ids are bigints).
 */
export interface TextKeysetCursor {
  at: string;
  id: string;
}

const cursorShape = z.object({ at: z.string().min(1).max(64), id: z.string().min(1).max(128) });

export function encodeTextKeysetCursor(cursor: TextKeysetCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** zod input for a cursor: decodes it, or fails validation as "cursor: Invalid cursor". */
export const textKeysetCursorInput = z
  .string()
  .max(400)
  .transform((text, ctx) => {
    try {
      const parsed = cursorShape.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
      if (parsed.success && !Number.isNaN(Date.parse(parsed.data.at))) return parsed.data;
    } catch {
      // fall through to the validation issue
    }
    ctx.addIssue({ code: 'custom', message: 'Invalid cursor' });
    return z.NEVER;
  });
