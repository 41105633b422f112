import { escapeIdentifier, escapeLiteral } from '../database-identity';
import type { BoundCondition } from './filter-evaluation';
import { patternFilterSql, typedColumnOperand } from './pattern-filter-sql';
import type { PublishedTable } from './publication-catalog';
import type { WalRow } from './wal-change';

/**
 * A deleted row cannot be looked up, so Supabase sends DELETEs unchecked (primary key only). With the whole
 * old row in the WAL (REPLICA IDENTITY FULL) we can do better: evaluate the table's SELECT policies against
 * that old row, as the subscriber, by running their USING expressions over a VALUES list named like the
 * table. Permissive policies are ORed, restrictive ones ANDed, no applicable policy denies — Postgres's own
 * rules. A policy the VALUES stand-in cannot evaluate raises, and the check then fails closed.
 * Pattern filters are applied above a MATERIALIZED CTE holding the admitted rows, so they never see a row the
 * policies refused.
 */
export function deletedRowPolicySql(
  table: PublishedTable,
  role: string,
  rows: { index: number; row: WalRow }[],
  patterns: BoundCondition[] = [],
): string {
  const applicable = table.selectPolicies.filter(
    (policy) => policy.roles.includes('public') || policy.roles.includes(role),
  );
  const permissive = applicable
    .filter((policy) => policy.permissive)
    .map((policy) => `(${policy.qual ?? 'true'})`);
  const restrictive = applicable
    .filter((policy) => !policy.permissive)
    .map((policy) => `(${policy.qual ?? 'true'})`);
  const condition =
    permissive.length === 0 ? 'false' : [`(${permissive.join(' or ')})`, ...restrictive].join(' and ');
  const values = rows.map(({ index, row }) => {
    const cells = table.columns.map(({ name, type }) => {
      const value = row[name];
      return value == null ? `null::${castType(type)}` : `${escapeLiteral(value)}::${castType(type)}`;
    });
    return `(${index}, ${cells.join(', ')})`;
  });
  const columnNames = ['"__question"', ...table.columns.map(({ name }) => escapeIdentifier(name))];
  const alias = escapeIdentifier(table.name);
  const from = `from (values ${values.join(', ')}) as ${alias}(${columnNames.join(', ')}) where ${condition}`;
  if (patterns.length === 0) return `select ${alias}."__question" as question ${from}`;
  const filter = patternFilterSql(patterns, ({ column, columnType }) =>
    typedColumnOperand(`admitted.${escapeIdentifier(column)}`, columnType),
  );
  return `with admitted as materialized (select ${alias}.* ${from}) select admitted."__question" as question from admitted where ${filter}`;
}

/** Whether the WAL carried the whole old row (REPLICA IDENTITY FULL), which the policy check needs. */
export function isWholeRow(table: PublishedTable, row: WalRow | null): boolean {
  return row !== null && table.columns.every(({ name }) => row[name] !== undefined);
}

function castType(typname: string): string {
  return typname.startsWith('_') ? `${escapeIdentifier(typname.slice(1))}[]` : escapeIdentifier(typname);
}
