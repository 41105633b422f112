import type { FilterCondition } from './postgres-filter';
import { compareValues } from './typed-comparison';

/** A parsed condition bound to its column type. */
export interface BoundCondition extends FilterCondition {
  columnType: string;
}

/** SQL's three-valued logic: null = unknown, which never lets a row through (even under `not.`). */
type Truth = boolean | null;

/**
 * True when every condition holds for the row (values as Postgres text; null = SQL NULL). Only the comparison
 * operators run here: each is one linear comparison of canonical texts, as cheap on another user's row as on
 * one's own. like/ilike/match/imatch are evaluated in Postgres after RLS (pattern-filter-sql.ts).
 */
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
