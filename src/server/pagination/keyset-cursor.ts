import { z } from 'zod';

/**
 * An opaque cursor for keyset pagination: the sort timestamp as Postgres text (microseconds intact, which
 * a JS Date would lose) and the row id that breaks ties.
 */
export interface KeysetCursor {
  at: string;
  id: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** zod input for a cursor whose ids match `id`: decodes it, or fails validation as "cursor: Invalid cursor". */
function keysetCursorInput(id: z.ZodType<string>) {
  const shape = z.object({ at: z.string().min(1).max(64), id });
  return z
    .string()
    .max(400)
    .transform((text, ctx): KeysetCursor => {
      try {
        const parsed = shape.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
        if (parsed.success && !Number.isNaN(Date.parse(parsed.data.at))) return parsed.data;
      } catch {
        // fall through to the validation issue
      }
      ctx.addIssue({ code: 'custom', message: 'Invalid cursor' });
      return z.NEVER;
    });
}

/** Cursors over app rows (uuid ids). */
export const cursorInput = keysetCursorInput(z.uuid());
/** Cursors over rows with text ids (BetterAuth user ids are not uuids; audit ids are bigints). */
export const textCursorInput = keysetCursorInput(z.string().min(1).max(128));

/**
 * The page of `rows`, fetched with `limit + 1` so that the extra row tells whether another page exists;
 * the cursor comes from the last row shown (its sort key as text in `cursor_at`).
 */
export function toPage<Row extends { cursor_at: string; id: string }, T>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => T,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(toItem),
    nextCursor:
      rows.length > limit && last ? encodeCursor({ at: last.cursor_at, id: String(last.id) }) : null,
  };
}
