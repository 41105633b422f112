/**
 * The `filter` string of a postgres_changes binding, PostgREST style (REALTIME-PROTOCOL.md §4.5):
 * `column=[not.]op.value`, conditions joined by top-level commas (AND), values double-quoted with backslash
 * escapes when they hold `,()"\` or edge spaces.
 */
export const FILTER_OPERATORS = [
  'eq',
  'neq',
  'lt',
  'lte',
  'gt',
  'gte',
  'in',
  'like',
  'ilike',
  'is',
  'match',
  'imatch',
  'isdistinct',
] as const;

export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface FilterCondition {
  column: string;
  operator: FilterOperator;
  negated: boolean;
  /** One value, or the list of `in`; null only for `isdistinct.null` and `is.null`. */
  values: (string | null)[];
}

export class FilterSyntaxError extends Error {}

const MAX_IN_VALUES = 100;

export function parseFilter(filter: string | undefined): FilterCondition[] {
  if (filter === undefined || filter.trim() === '') return [];
  if (filter === 'undefined') throw new FilterSyntaxError('filter is the string "undefined"');
  return splitTopLevel(filter, ',').map(parseCondition);
}

function parseCondition(text: string): FilterCondition {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new FilterSyntaxError(`expected column=op.value in ${JSON.stringify(text)}`);
  const column = text.slice(0, equals).trim();
  let rest = text.slice(equals + 1);
  const negated = rest.startsWith('not.');
  if (negated) rest = rest.slice(4);
  const dot = rest.indexOf('.');
  const operator = (dot < 0 ? rest : rest.slice(0, dot)) as FilterOperator;
  if (!FILTER_OPERATORS.includes(operator))
    throw new FilterSyntaxError(`unknown operator ${JSON.stringify(operator)}`);
  if (dot < 0) throw new FilterSyntaxError(`missing value in ${JSON.stringify(text)}`);
  const rawValue = rest.slice(dot + 1);
  if (operator === 'in') return { column, operator, negated, values: parseList(rawValue) };
  if (operator === 'is') return { column, operator, negated, values: [parseIsValue(rawValue)] };
  if (operator === 'isdistinct' && rawValue === 'null') return { column, operator, negated, values: [null] };
  return { column, operator, negated, values: [unquote(rawValue)] };
}

function parseList(raw: string): string[] {
  if (!raw.startsWith('(') || !raw.endsWith(')')) throw new FilterSyntaxError('in. takes a list: in.(a,b)');
  const values = splitTopLevel(raw.slice(1, -1), ',').map(unquote);
  if (values.length === 0) throw new FilterSyntaxError('in. needs at least one value');
  if (values.length > MAX_IN_VALUES) throw new FilterSyntaxError(`in. takes at most ${MAX_IN_VALUES} values`);
  return values;
}

function parseIsValue(raw: string): string | null {
  const value = raw.toLowerCase();
  if (value === 'null') return null;
  if (value === 'true' || value === 'false' || value === 'unknown') return value;
  throw new FilterSyntaxError('is. takes null, true, false or unknown');
}

function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  if (value.length < 2 || !value.endsWith('"')) throw new FilterSyntaxError(`unterminated quote in ${value}`);
  return value.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** Splits on `separator` outside double quotes and parentheses. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (quoted && char === '\\') {
      current += char + (text[index + 1] ?? '');
      index++;
      continue;
    }
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === '(') depth++;
    else if (!quoted && char === ')') depth--;
    if (char === separator && !quoted && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  if (quoted || depth !== 0) throw new FilterSyntaxError('unbalanced quotes or parentheses');
  parts.push(current);
  return parts;
}
