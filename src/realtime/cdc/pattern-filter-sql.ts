import { escapeLiteral } from '../database-identity';
import type { BoundCondition } from './filter-evaluation';
import type { FilterCondition, FilterOperator } from './postgres-filter';

/**
 * `like`/`ilike`/`match`/`imatch` are client-supplied patterns. They never run in this process (a backtracking
 * RegExp froze every socket for 40 s on one row); Postgres evaluates them as the subscriber, only on rows its
 * RLS has already admitted (rls-visibility-check.ts), under a statement timeout.
 */
const PATTERN_SQL_OPERATORS: Partial<Record<FilterOperator, string>> = {
  like: '~~',
  ilike: '~~*',
  match: '~',
  imatch: '~*',
};

/** Longest like/ilike/match/imatch value accepted at join (characters). */
export const MAX_PATTERN_LENGTH = 256;

/** String types are matched as themselves (bpchar ignores its padding); every other type as its text. */
const STRING_TYPES = new Set(['text', 'varchar', 'bpchar', 'name']);

export function isPatternOperator(operator: FilterOperator): boolean {
  return operator in PATTERN_SQL_OPERATORS;
}

/** Why Postgres would refuse this pattern, checked at join so that a bad pattern fails the subscription. */
export function patternProblem(condition: FilterCondition): string | null {
  const pattern = condition.values[0] ?? '';
  if (pattern.length > MAX_PATTERN_LENGTH)
    return `${condition.operator} pattern longer than ${MAX_PATTERN_LENGTH} characters`;
  // Postgres text cannot hold NUL, and the wire protocol would cut the statement there.
  if (pattern.includes('\u0000')) return `${condition.operator} pattern contains a NUL character`;
  // Postgres raises this only when matching reaches the end of the pattern, i.e. row by row: refuse it now.
  const isLike = condition.operator === 'like' || condition.operator === 'ilike';
  if (isLike && trailingBackslashes(pattern) % 2 === 1)
    return `${condition.operator} pattern must not end with the escape character \\`;
  return null;
}

/** `select '' ~ 'pattern', …`: compiles every regex once in Postgres, which rejects invalid or too complex ones. */
export function regexCompileSql(conditions: FilterCondition[]): string | null {
  const regexes = conditions.filter(({ operator }) => operator === 'match' || operator === 'imatch');
  if (regexes.length === 0) return null;
  return `select ${regexes.map((condition) => `'' ${PATTERN_SQL_OPERATORS[condition.operator]} ${escapeLiteral(condition.values[0] ?? '')}`).join(', ')}`;
}

/** A WAL value as a pattern operand literal; absent (unchanged TOAST) or NULL is unknown, i.e. no match. */
export function patternOperandLiteral(value: string | null | undefined, columnType: string): string {
  return `${value == null ? 'null' : escapeLiteral(value)}::${operandType(columnType)}`;
}

/** `(<operand> ~~ 'a%') is true and not (<operand> ~ '^x') is true`: NULL (unknown) never lets a row through. */
export function patternFilterSql(
  conditions: BoundCondition[],
  operandOf: (condition: BoundCondition, position: number) => string,
): string {
  return conditions
    .map((condition, position) => {
      const test = `${operandOf(condition, position)} ${PATTERN_SQL_OPERATORS[condition.operator]} ${escapeLiteral(condition.values[0] ?? '')}`;
      return `(${condition.negated ? `not (${test})` : test}) is true`;
    })
    .join(' and ');
}

/** A typed column reference (deleted-row policy VALUES) as a pattern operand: strings as is, others as text. */
export function typedColumnOperand(reference: string, columnType: string): string {
  return STRING_TYPES.has(columnType) ? reference : `${reference}::text`;
}

function trailingBackslashes(pattern: string): number {
  let count = 0;
  while (pattern[pattern.length - 1 - count] === '\\') count++;
  return count;
}

function operandType(columnType: string): string {
  return STRING_TYPES.has(columnType) ? columnType : 'text';
}

/** Same conditions ⇒ same key ⇒ one SQL evaluation per row, shared by the identity's subscriptions. */
export function patternFilterKey(conditions: BoundCondition[]): string {
  return JSON.stringify(
    conditions.map(({ column, operator, negated, values }) => [column, operator, negated, values]),
  );
}
