import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import {
  applyIdentitySql,
  type DatabaseIdentity,
  escapeIdentifier,
  escapeLiteral,
} from '../database-identity';
import { deletedRowPolicySql } from './deleted-row-policy-sql';
import type { PublishedTable } from './publication-catalog';
import type { WalRow } from './wal-change';

/** "May `identity` SELECT this row?" for one changed row of transaction `xid`. */
export interface VisibilityQuestion {
  identity: DatabaseIdentity;
  table: PublishedTable;
  row: WalRow;
  xid: number;
  /** The row is gone (DELETE): judge its old image against the SELECT policies instead of looking it up. */
  deleted: boolean;
}

/** Retries for a transaction whose commit we decoded but which other sessions cannot see yet. */
const MAX_VISIBILITY_WAITS = 500;

/**
 * Answers many visibility questions in ONE round trip: per distinct identity, the role and claims are
 * applied transaction-locally and all its changed rows are looked up by primary key in one SELECT per table,
 * so RLS is evaluated by Postgres as that subscriber. Everything runs in a read-only, rolled-back transaction.
 * Cost: one statement per (identity, table) per batch, not one query per subscriber per change.
 *
 * Postgres writes (and streams) a commit record a moment before the committing transaction becomes visible
 * to other sessions. Questions about a transaction our snapshot does not see yet are asked again shortly,
 * otherwise a row would be judged on its previous state (or as missing).
 */
export async function checkVisibility(
  client: pg.ClientBase,
  questions: VisibilityQuestion[],
  log: (line: string) => void,
): Promise<boolean[]> {
  const answers = questions.map(() => false);
  let pending = questions.map((_, index) => index);
  for (let attempt = 0; pending.length > 0; attempt++) {
    const inFlight = await askAll(client, questions, pending, answers, log);
    pending = pending.filter((index) => inFlight.has((questions[index] as VisibilityQuestion).xid));
    if (pending.length === 0) break;
    if (attempt >= MAX_VISIBILITY_WAITS) {
      log(`transactions ${[...inFlight].join(', ')} never became visible; their rows are not delivered`);
      break;
    }
    await sleep(Math.min(attempt + 1, 10));
  }
  return answers;
}

interface QuestionGroup {
  identity: DatabaseIdentity;
  table: PublishedTable;
  deleted: boolean;
  /** indexes into the questions array */
  indexes: number[];
}

async function askAll(
  client: pg.ClientBase,
  questions: VisibilityQuestion[],
  asked: number[],
  answers: boolean[],
  log: (line: string) => void,
): Promise<Set<number>> {
  const groups = groupByIdentityAndTable(questions, asked);
  try {
    return await runBlocks(client, questions, groups, answers);
  } catch {
    // One failing policy must not hide others' rows: retry identity by identity, failures stay invisible.
    const inFlight = new Set<number>();
    for (const group of groups) {
      try {
        for (const xid of await runBlocks(client, questions, [group], answers)) inFlight.add(xid);
      } catch (error) {
        log(`RLS check as ${group.identity.role} on ${group.table.name} failed: ${(error as Error).message}`);
      }
    }
    return inFlight;
  }
}

function groupByIdentityAndTable(questions: VisibilityQuestion[], asked: number[]): QuestionGroup[] {
  const groups = new Map<string, QuestionGroup>();
  for (const index of asked) {
    const question = questions[index] as VisibilityQuestion;
    const key = `${question.identity.key}\u0001${question.table.oid}\u0001${question.deleted}`;
    let group = groups.get(key);
    if (!group) {
      group = { identity: question.identity, table: question.table, deleted: question.deleted, indexes: [] };
      groups.set(key, group);
    }
    group.indexes.push(index);
  }
  return [...groups.values()];
}

/** Runs the checks in one snapshot; returns the xids that snapshot does not see yet (answers for them are void). */
async function runBlocks(
  client: pg.ClientBase,
  questions: VisibilityQuestion[],
  groups: QuestionGroup[],
  answers: boolean[],
): Promise<Set<number>> {
  const xids = new Set(
    groups.flatMap((group) => group.indexes.map((index) => (questions[index] as VisibilityQuestion).xid)),
  );
  // Repeatable read: the in-flight probe and every lookup share one snapshot.
  const statements = ['begin isolation level repeatable read read only', inFlightSql([...xids])];
  for (const group of groups) {
    const check = group.deleted
      ? deletedRowPolicySql(
          group.table,
          group.identity.role,
          group.indexes.map((index) => ({ index, row: (questions[index] as VisibilityQuestion).row })),
        )
      : lookupSql(questions, group);
    statements.push(applyIdentitySql(group.identity), check);
  }
  statements.push('rollback');
  let results: pg.QueryResult[];
  try {
    results = (await client.query(statements.join(';\n'))) as unknown as pg.QueryResult[];
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
  const inFlight = new Set<number>();
  const visible = new Set<number>();
  for (const result of results) {
    for (const row of result.rows as { question?: number; in_flight?: string }[]) {
      if (row.in_flight !== undefined) inFlight.add(Number(row.in_flight));
      if (typeof row.question === 'number') visible.add(row.question);
    }
  }
  for (const group of groups) {
    for (const index of group.indexes) {
      if (!inFlight.has((questions[index] as VisibilityQuestion).xid)) answers[index] = visible.has(index);
    }
  }
  return inFlight;
}

/** The 32-bit xids (from pgoutput) this snapshot does not yet see as completed; epoch taken from xmax. */
function inFlightSql(xids: number[]): string {
  return `select x::text as in_flight
  from unnest('{${xids.join(',')}}'::bigint[]) as x,
  lateral (select pg_current_snapshot() as snap) s,
  lateral (select pg_snapshot_xmax(s.snap)::text::bigint as xmax) m,
  lateral (select ((m.xmax >> 32) << 32) | x as full_xid) f
  where not pg_visible_in_snapshot(
    (case when f.full_xid > m.xmax then f.full_xid - 4294967296 else f.full_xid end)::text::xid8, s.snap)`;
}

/** `select v.question from (values (3, 'a'::uuid), …) v(question, k0) join t on t.id = v.k0` */
function lookupSql(questions: VisibilityQuestion[], group: QuestionGroup): string {
  const { table } = group;
  const keyTypes = table.primaryKey.map(
    (name) => table.columns.find((column) => column.name === name)?.type ?? 'text',
  );
  const values = group.indexes.map((index) => {
    const row = (questions[index] as VisibilityQuestion).row;
    const keys = table.primaryKey.map((name, position) => {
      const value = row[name];
      return value == null ? 'null' : `${escapeLiteral(value)}::${castType(keyTypes[position] as string)}`;
    });
    return `(${index}, ${keys.join(', ')})`;
  });
  const keyNames = table.primaryKey.map((_, position) => `k${position}`);
  const join = table.primaryKey
    .map((name, position) => `t.${escapeIdentifier(name)} = v.k${position}`)
    .join(' and ');
  const target = `${escapeIdentifier(table.schema)}.${escapeIdentifier(table.name)}`;
  return `select v.question from (values ${values.join(', ')}) as v(question, ${keyNames.join(', ')}) join ${target} t on ${join}`;
}

function castType(typname: string): string {
  return typname.startsWith('_') ? `${escapeIdentifier(typname.slice(1))}[]` : escapeIdentifier(typname);
}
