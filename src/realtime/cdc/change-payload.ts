import type { PublishedTable } from './publication-catalog';
import type { WalChange, WalRow } from './wal-change';
import { walValueToJson } from './wal-value';

/**
 * The `data` of a postgres_changes frame as supabase-js expects it (REALTIME-PROTOCOL.md §4.1): typed
 * values, `columns` in attnum order, only the columns the subscriber may see. DELETE under RLS carries the
 * primary key only, since a deleted row cannot be checked against RLS any more.
 */
export function changeDataJson(
  change: WalChange,
  table: PublishedTable,
  columns: ReadonlySet<string>,
): string {
  const visible = table.columns.filter((column) => columns.has(column.name));
  const data: Record<string, unknown> = {
    schema: table.schema,
    table: table.name,
    type: change.type,
    commit_timestamp: change.commitTimestamp,
    columns: visible.map(({ name, type }) => ({ name, type })),
  };
  if (change.type !== 'DELETE') data.record = typedRecord(change.newRow ?? {}, table, columns);
  if (change.type === 'UPDATE') {
    data.old_record = typedRecord(change.oldRow ?? keyOf(change.newRow ?? {}, table), table, columns);
  }
  if (change.type === 'DELETE') {
    const old = change.oldRow ?? {};
    data.old_record = typedRecord(table.rlsEnabled ? keyOf(old, table) : old, table, columns);
  }
  data.errors = null;
  return JSON.stringify(data);
}

function keyOf(row: WalRow, table: PublishedTable): WalRow {
  return Object.fromEntries(table.primaryKey.map((name) => [name, row[name]]));
}

function typedRecord(
  row: WalRow,
  table: PublishedTable,
  columns: ReadonlySet<string>,
): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const column of table.columns) {
    const value = row[column.name];
    if (value === undefined || !columns.has(column.name)) continue;
    record[column.name] = walValueToJson(column.type, value);
  }
  return record;
}
