import type pg from 'pg';
import {
  applyIdentitySql,
  type DatabaseIdentity,
  escapeIdentifier,
  escapeLiteral,
} from '../database-identity';
import type { PublishedTable } from './publication-catalog';
import type { WalRow } from './wal-change';

/** "May `identity` SELECT this row?" for one changed row. */
export interface VisibilityQuestion {
  identity: DatabaseIdentity;
  table: PublishedTable;
  row: WalRow;
}

/**
 * Answers many visibility questions in ONE round trip: per distinct identity, the role and claims are
 * applied transaction-locally and all its changed rows are looked up by primary key in one SELECT per table,
 * so RLS is evaluated by Postgres as that subscriber. Everything runs in a read-only transaction that is
 * rolled back. Cost: one statement per (identity, table) per batch, not one query per subscriber per change.
 */
export async function checkVisibility(
  client: pg.ClientBase,
  questions: VisibilityQuestion[],
  log: (line: string) => void,
): Promise<boolean[]> {
  const answers = questions.map(() => false);
  const groups = groupByIdentityAndTable(questions);
  if (groups.length === 0) return answers;
  try {
    await runBlocks(client, groups, answers);
  } catch {
    // One failing policy must not hide others' rows: retry identity by identity, failures stay invisible.
    for (const group of groups) {
      await runBlocks(client, [group], answers).catch((error: Error) =>
        log(`RLS check as ${group.identity.role} on ${group.table.name} failed: ${error.message}`),
      );
    }
  }
  return answers;
}

interface QuestionGroup {
  identity: DatabaseIdentity;
  table: PublishedTable;
  /** indexes into the questions array */
  indexes: number[];
  rows: WalRow[];
}

function groupByIdentityAndTable(questions: VisibilityQuestion[]): QuestionGroup[] {
  const groups = new Map<string, QuestionGroup>();
  questions.forEach((question, index) => {
    const key = `${question.identity.key}\u0001${question.table.oid}`;
    let group = groups.get(key);
    if (!group) {
      group = { identity: question.identity, table: question.table, indexes: [], rows: [] };
      groups.set(key, group);
    }
    group.indexes.push(index);
    group.rows.push(question.row);
  });
  return [...groups.values()];
}

async function runBlocks(client: pg.ClientBase, groups: QuestionGroup[], answers: boolean[]): Promise<void> {
  const statements = ['begin read only'];
  for (const group of groups) {
    statements.push(applyIdentitySql(group.identity), lookupSql(group));
  }
  statements.push('rollback');
  let results: pg.QueryResult | pg.QueryResult[];
  try {
    results = (await client.query(statements.join(';\n'))) as unknown as pg.QueryResult[];
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
  for (const result of Array.isArray(results) ? results : [results]) {
    for (const row of result.rows as { question?: number }[]) {
      if (typeof row.question === 'number') answers[row.question] = true;
    }
  }
}

/** `select v.question from (values (3, 'a'::uuid), …) v(question, k0) join t on t.id = v.k0` */
function lookupSql(group: QuestionGroup): string {
  const { table } = group;
  const keyTypes = table.primaryKey.map(
    (name) => table.columns.find((column) => column.name === name)?.type ?? 'text',
  );
  const values = group.rows.map((row, position) => {
    const keys = table.primaryKey.map((name, index) => {
      const value = row[name];
      return value == null ? 'null' : `${escapeLiteral(value)}::${castType(keyTypes[index] as string)}`;
    });
    return `(${group.indexes[position]}, ${keys.join(', ')})`;
  });
  const keyNames = table.primaryKey.map((_, index) => `k${index}`);
  const join = table.primaryKey
    .map((name, index) => `t.${escapeIdentifier(name)} = v.k${index}`)
    .join(' and ');
  const target = `${escapeIdentifier(table.schema)}.${escapeIdentifier(table.name)}`;
  return `select v.question from (values ${values.join(', ')}) as v(question, ${keyNames.join(', ')}) join ${target} t on ${join}`;
}

function castType(typname: string): string {
  return typname.startsWith('_') ? `${escapeIdentifier(typname.slice(1))}[]` : escapeIdentifier(typname);
}
