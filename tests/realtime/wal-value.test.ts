import { describe, expect, it } from 'vitest';
import { parseFilter } from '@/realtime/cdc/postgres-filter';
import { compareValues } from '@/realtime/cdc/typed-comparison';
import { parseArrayLiteral, walValueToJson } from '@/realtime/cdc/wal-value';

// The rt_test tables (postgres-changes.test.ts) exercise uuid, text, int4, jsonb and timestamptz end to end;
// these cover the other types supabase-js converts, as Postgres renders them in the WAL.
describe('WAL text → the JSON Supabase sends', () => {
  it.each([
    ['int8', '9007199254740991', 9007199254740991],
    ['numeric', '12.50', 12.5],
    ['float8', 'NaN', 'NaN'],
    ['bool', 't', true],
    ['bool', 'f', false],
    ['json', '{"a":[1,2]}', { a: [1, 2] }],
    ['timestamptz', '2026-01-02 03:04:05.678+00', '2026-01-02T03:04:05.678+00:00'],
    ['timestamptz', '2026-01-02 03:04:05+05:30', '2026-01-02T03:04:05+05:30'],
    ['timestamp', '2026-01-02 03:04:05', '2026-01-02T03:04:05'],
    ['bytea', '\\x0102ff', '0102ff'],
    ['_int4', '{1,2,NULL}', [1, 2, null]],
    ['_text', '{a,"b c","d,e","q\\"uote",NULL,"NULL"}', ['a', 'b c', 'd,e', 'q"uote', null, 'NULL']],
    ['text', 'plain', 'plain'],
  ])('%s %s', (type, text, expected) => {
    expect(walValueToJson(type, text)).toEqual(expected);
  });

  it('keeps SQL NULL as null', () => {
    expect(walValueToJson('int4', null)).toBeNull();
  });

  it('parses an empty array', () => {
    expect(parseArrayLiteral('{}')).toEqual([]);
  });
});

describe('typed ordering of canonical values', () => {
  it('orders numbers numerically and timestamps by instant, to the microsecond', () => {
    expect(compareValues('int4', '9', '10')).toBeLessThan(0);
    expect(compareValues('numeric', '10.5', '10.25')).toBeGreaterThan(0);
    expect(compareValues('timestamptz', '2026-01-01 10:00:00+01', '2026-01-01 09:30:00+00')).toBeLessThan(0);
    expect(
      compareValues('timestamptz', '2026-01-01 09:00:00.000001+00', '2026-01-01 09:00:00+00'),
    ).toBeGreaterThan(0);
  });
});

describe('filter strings', () => {
  it('splits on top-level commas only and unquotes values', () => {
    expect(parseFilter('content=eq."a,b",stream_seq=not.in.(1,"2")')).toEqual([
      { column: 'content', operator: 'eq', negated: false, values: ['a,b'] },
      { column: 'stream_seq', operator: 'in', negated: true, values: ['1', '2'] },
    ]);
  });

  it('rejects unknown operators and the string "undefined"', () => {
    expect(() => parseFilter('id=foo.1')).toThrow('unknown operator');
    expect(() => parseFilter('undefined')).toThrow();
  });
});
