/**
 * Turns a WAL text value into the JSON value Supabase sends, i.e. what `to_jsonb(value)` renders: numbers and
 * booleans typed, json parsed, arrays as arrays, timestamps in ISO form, bytea as bare hex.
 */
const INTEGER_TYPES = new Set(['int2', 'int4', 'int8', 'oid']);
const FLOAT_TYPES = new Set(['float4', 'float8', 'numeric']);

export function walValueToJson(type: string, text: string | null): unknown {
  if (text === null) return null;
  if (type.startsWith('_')) return parseArrayLiteral(text).map((item) => walValueToJson(type.slice(1), item));
  if (INTEGER_TYPES.has(type)) return Number(text);
  if (FLOAT_TYPES.has(type)) {
    const number = Number(text);
    // to_jsonb keeps NaN / Infinity as strings
    return Number.isFinite(number) ? number : text;
  }
  switch (type) {
    case 'bool':
      return text === 't';
    case 'json':
    case 'jsonb':
      return JSON.parse(text);
    case 'timestamptz':
      return isoTimestamp(text, true);
    case 'timestamp':
      return isoTimestamp(text, false);
    case 'bytea':
      return text.startsWith('\\x') ? text.slice(2) : text;
    default:
      return text;
  }
}

/** `2026-01-01 12:00:00.5+00` → `2026-01-01T12:00:00.5+00:00` (to_jsonb's rendering). */
function isoTimestamp(text: string, withZone: boolean): string {
  const iso = text.replace(' ', 'T');
  if (!withZone) return iso;
  return iso.replace(/([+-]\d\d)$/, '$1:00');
}

/** Parses a one-dimensional Postgres array literal (`{a,"b c",NULL}`); nested arrays are kept as text. */
export function parseArrayLiteral(text: string): (string | null)[] {
  const body = text.replace(/^\[[^\]]*\]=/, '');
  if (!body.startsWith('{') || !body.endsWith('}')) return [text];
  const items: (string | null)[] = [];
  let index = 1;
  const end = body.length - 1;
  while (index < end) {
    let item = '';
    let quoted = false;
    if (body[index] === '"') {
      quoted = true;
      index++;
      while (index < end && body[index] !== '"') {
        if (body[index] === '\\') index++;
        item += body[index];
        index++;
      }
      index++;
    } else {
      let depth = 0;
      while (index < end && (depth > 0 || body[index] !== ',')) {
        if (body[index] === '{') depth++;
        if (body[index] === '}') depth--;
        item += body[index];
        index++;
      }
    }
    items.push(!quoted && item === 'NULL' ? null : item);
    index++; // the comma
  }
  return items;
}
