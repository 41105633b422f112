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

/**
 * Postgres' text form of a timestamptz (DateStyle ISO), the only form our cursors carry:
 * "2026-12-03 21:04:24.123456+00". Anything else — another layout, a day the calendar does not have, a year
 * Postgres cannot store — is refused here, not by Postgres with a 500.
 */
const POSTGRES_TIMESTAMPTZ =
  /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?([+-])(\d{2})(?::(\d{2}))?$/;

export function isCursorTimestamp(text: string): boolean {
  const match = POSTGRES_TIMESTAMPTZ.exec(text);
  if (!match) return false;
  // An absent group reads as NaN, and every comparison with NaN is false: refused.
  const field = (group: number, absent = Number.NaN) => Number(match[group] ?? absent);
  const [year, month, day] = [field(1), field(2), field(3)];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    field(4) < 24 &&
    field(5) < 60 &&
    field(6) < 60 &&
    field(9) < 16 &&
    field(10, 0) < 60
  );
}

/** zod input for a cursor whose ids match `id`: decodes it, or fails validation as "cursor: Invalid cursor". */
function keysetCursorInput(id: z.ZodType<string>) {
  const shape = z.object({ at: z.string().max(64).refine(isCursorTimestamp), id }).strict();
  return z
    .string()
    .max(400)
    .regex(/^[A-Za-z0-9_-]*$/)
    .transform((text, ctx): KeysetCursor => {
      try {
        const parsed = shape.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
        if (parsed.success) return parsed.data;
      } catch {
        // fall through to the validation issue
      }
      ctx.addIssue({ code: 'custom', message: 'Invalid cursor' });
      return z.NEVER;
    });
}

/** Cursors over app rows (uuid ids). */
export const cursorInput = keysetCursorInput(z.uuid());
/** Cursors over rows with text ids (BetterAuth user ids are not uuids): printable, no NUL. */
export const textCursorInput = keysetCursorInput(z.string().regex(/^[\x21-\x7e]{1,128}$/));
/** Cursors over rows with bigint ids (the audit log). */
export const bigintCursorInput = keysetCursorInput(z.string().regex(/^[1-9]\d{0,17}$/));

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
