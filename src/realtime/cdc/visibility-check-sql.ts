import { escapeIdentifier, escapeLiteral } from '../database-identity';
import { deletedRowPolicySql } from './deleted-row-policy-sql';
import type { BoundCondition } from './filter-evaluation';
import { patternFilterSql, patternOperandLiteral } from './pattern-filter-sql';
import type { QuestionGroup, VisibilityQuestion } from './rls-visibility-check';
import type { WalRow } from './wal-change';

/** The one statement that answers a group's questions: rows of `question` numbers that are visible. */
export function checkSql(questions: VisibilityQuestion[], group: QuestionGroup): string {
  const rowsOf = () =>
    group.indexes.map((index) => ({ index, row: (questions[index] as VisibilityQuestion).row }));
  if (group.rls === 'deleted-row')
    return deletedRowPolicySql(group.table, group.identity.role, rowsOf(), group.patterns);
  if (group.rls === 'lookup') return lookupSql(questions, group);
  return patternOnlySql(questions, group);
}

/** The 32-bit xids (from pgoutput) this snapshot does not yet see as completed; epoch taken from xmax. */
export function inFlightSql(xids: number[]): string {
  return `select x::text as in_flight
  from unnest('{${xids.join(',')}}'::bigint[]) as x,
  lateral (select pg_current_snapshot() as snap) s,
  lateral (select pg_snapshot_xmax(s.snap)::text::bigint as xmax) m,
  lateral (select ((m.xmax >> 32) << 32) | x as full_xid) f
  where not pg_visible_in_snapshot(
    (case when f.full_xid > m.xmax then f.full_xid - 4294967296 else f.full_xid end)::text::xid8, s.snap)`;
}

/**
 * `select v.question from (values (3, 'a'::uuid), …) v(question, k0) join t on t.id = v.k0`. With pattern
 * filters the join is a MATERIALIZED CTE: no condition of the outer query is pushed into it, so a client's
 * pattern only ever sees rows the subscriber's RLS has let through the join (the WAL values of those rows are
 * carried along as p0, p1 …). EXPLAIN shows the patterns as the Filter of the CTE Scan, above the join.
 */
function lookupSql(questions: VisibilityQuestion[], group: QuestionGroup): string {
  const { table, patterns } = group;
  const keyTypes = table.primaryKey.map(
    (name) => table.columns.find((column) => column.name === name)?.type ?? 'text',
  );
  const values = group.indexes.map((index) => {
    const row = (questions[index] as VisibilityQuestion).row;
    const keys = table.primaryKey.map((name, position) => {
      const value = row[name];
      return value == null ? 'null' : `${escapeLiteral(value)}::${castType(keyTypes[position] as string)}`;
    });
    return `(${[index, ...keys, ...patternOperands(row, patterns)].join(', ')})`;
  });
  const keyNames = table.primaryKey.map((_, position) => `k${position}`);
  const operandNames = patterns.map((_, position) => `p${position}`);
  const join = table.primaryKey
    .map((name, position) => `t.${escapeIdentifier(name)} = v.k${position}`)
    .join(' and ');
  const target = `${escapeIdentifier(table.schema)}.${escapeIdentifier(table.name)}`;
  const from = `from (values ${values.join(', ')}) as v(${['question', ...keyNames, ...operandNames].join(', ')}) join ${target} t on ${join}`;
  if (patterns.length === 0) return `select v.question ${from}`;
  const carried = ['v.question', ...operandNames.map((name) => `v.${name}`)].join(', ');
  return `with admitted as materialized (select ${carried} ${from}) select question from admitted where ${patternFilterSql(patterns, (_, position) => `admitted.p${position}`)}`;
}

/** No RLS to apply: the patterns alone decide, over the WAL values. */
function patternOnlySql(questions: VisibilityQuestion[], group: QuestionGroup): string {
  const values = group.indexes.map((index) => {
    const row = (questions[index] as VisibilityQuestion).row;
    return `(${[index, ...patternOperands(row, group.patterns)].join(', ')})`;
  });
  const names = ['question', ...group.patterns.map((_, position) => `p${position}`)];
  return `select v.question from (values ${values.join(', ')}) as v(${names.join(', ')}) where ${patternFilterSql(group.patterns, (_, position) => `v.p${position}`)}`;
}

function patternOperands(row: WalRow, patterns: BoundCondition[]): string[] {
  return patterns.map(({ column, columnType }) => patternOperandLiteral(row[column], columnType));
}

function castType(typname: string): string {
  return typname.startsWith('_') ? `${escapeIdentifier(typname.slice(1))}[]` : escapeIdentifier(typname);
}
