import { z } from 'zod';

/**
 * An opaque cursor for keyset pagination: the sort timestamp as Postgres text (microseconds intact, which
 * a JS Date would lose) and the row id that breaks ties.
 */
export interface KeysetCursor {
  at: string;
  id: string;
}

const cursorShape = z.object({ at: z.string().min(1).max(64), id: z.uuid() });

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** zod input for a cursor: decodes it, or fails validation as "cursor: Invalid cursor". */
export const cursorInput = z
  .string()
  .max(300)
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

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
