import type { FilterCondition } from './postgres-filter';
import { compareValues } from './typed-comparison';

/** A parsed condition bound to its column type, with LIKE/regex patterns compiled once. */
export interface BoundCondition extends FilterCondition {
  columnType: string;
  pattern?: RegExp;
}

/** SQL's three-valued logic: null = unknown, which never lets a row through (even under `not.`). */
type Truth = boolean | null;

export function compilePattern(condition: FilterCondition): RegExp | undefined {
  const value = condition.values[0] ?? '';
  switch (condition.operator) {
    case 'like':
      return new RegExp(`^${likeToRegExp(value)}$`, 's');
    case 'ilike':
      return new RegExp(`^${likeToRegExp(value)}$`, 'si');
    case 'match':
      return new RegExp(value);
    case 'imatch':
      return new RegExp(value, 'i');
    default:
      return undefined;
  }
}

function likeToRegExp(pattern: string): string {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] as string;
    if (char === '\\' && index + 1 < pattern.length) source += escapeRegExp(pattern[++index] as string);
    else if (char === '%') source += '.*';
    else if (char === '_') source += '.';
    else source += escapeRegExp(char);
  }
  return source;
}

function escapeRegExp(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** True when every condition holds for the row (values as Postgres text; null = SQL NULL). */
export function rowMatches(
  conditions: BoundCondition[],
  row: Record<string, string | null | undefined>,
): boolean {
  for (const condition of conditions) {
    if (!(condition.column in row)) return false;
    if (evaluate(condition, row[condition.column] ?? null) !== true) return false;
  }
  return true;
}

function evaluate(condition: BoundCondition, value: string | null): Truth {
  const truth = evaluatePositive(condition, value);
  return condition.negated && truth !== null ? !truth : truth;
}

function evaluatePositive(condition: BoundCondition, value: string | null): Truth {
  const { operator, values, columnType } = condition;
  const expected = values[0] ?? null;
  if (operator === 'is') {
    if (expected === null || expected === 'unknown') return value === null;
    return value !== null && value === (expected === 'true' ? 't' : 'f');
  }
  if (operator === 'isdistinct') {
    if (value === null || expected === null) return value !== expected;
    return compareValues(columnType, value, expected) !== 0;
  }
  if (value === null) return null;
  if (condition.pattern) return condition.pattern.test(value);
  if (operator === 'in')
    return values.some((item) => item !== null && compareValues(columnType, value, item) === 0);
  if (expected === null) return null;
  const order = compareValues(columnType, value, expected);
  switch (operator) {
    case 'eq':
      return order === 0;
    case 'neq':
      return order !== 0;
    case 'lt':
      return order < 0;
    case 'lte':
      return order <= 0;
    case 'gt':
      return order > 0;
    case 'gte':
      return order >= 0;
    default:
      return null;
  }
}
