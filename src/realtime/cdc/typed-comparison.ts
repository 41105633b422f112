/**
 * Orders two Postgres text renderings of the same column type the way Postgres orders the values. Filter
 * values are canonicalized by Postgres (cast to the column type and back to text) at subscribe time, and WAL
 * values arrive in the same canonical text, so equal values are equal strings and ordering needs only a
 * per-type-family parse.
 */
const NUMERIC_TYPES = new Set(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'oid', 'money']);
const TIMESTAMP_TYPES = new Set(['timestamptz', 'timestamp', 'date']);

export function compareValues(type: string, left: string, right: string): number {
  if (left === right) return 0;
  if (NUMERIC_TYPES.has(type)) return compareNumbers(left, right);
  if (TIMESTAMP_TYPES.has(type)) return compareTimestamps(left, right);
  // text in the C collation (our initdb locale) orders by code point; close enough for uuid, bool ('f' < 't') etc.
  return left < right ? -1 : 1;
}

function compareNumbers(left: string, right: string): number {
  const a = Number(left.replace(/[$,]/g, ''));
  const b = Number(right.replace(/[$,]/g, ''));
  if (Number.isNaN(a) || Number.isNaN(b)) return left < right ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** `2026-01-01 12:00:00.123456+01` → [epoch ms, microseconds beyond the ms] for an exact ordering. */
function timestampKey(text: string): [number, number] {
  const match =
    /^(\d{4,}-\d\d-\d\d)(?:[ T](\d\d:\d\d:\d\d)(?:\.(\d+))?)?([+-]\d\d(?::?\d\d)?(?::\d\d)?)?$/.exec(text);
  if (!match) return [Number.NaN, 0];
  const [, day, time = '00:00:00', fraction = '', offset = '+00'] = match;
  const zone = offset.length === 3 ? `${offset}:00` : offset.slice(0, 6);
  const ms = Date.parse(`${day}T${time}.${fraction.slice(0, 3).padEnd(3, '0')}${zone}`);
  return [ms, Number(fraction.slice(3).padEnd(3, '0'))];
}

function compareTimestamps(left: string, right: string): number {
  const [aMs, aMicro] = timestampKey(left);
  const [bMs, bMicro] = timestampKey(right);
  if (Number.isNaN(aMs) || Number.isNaN(bMs)) return left < right ? -1 : 1;
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  return aMicro === bMicro ? 0 : aMicro < bMicro ? -1 : 1;
}
