import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { applyIdentitySql, type DatabaseIdentity } from '../database-identity';
import type { BoundCondition } from './filter-evaluation';
import { patternFilterKey } from './pattern-filter-sql';
import type { PublishedTable } from './publication-catalog';
import { checkSql, inFlightSql } from './visibility-check-sql';
import type { WalRow } from './wal-change';

/**
 * How Postgres decides whether `identity` may see the row: `lookup` finds it by primary key as the subscriber
 * (RLS applies); `deleted-row` judges a DELETE's whole old row against the SELECT policies; `none` admits it
 * (no RLS for this subscriber, or a key-only DELETE, which Supabase sends to everyone).
 */
export type RlsCheck = 'lookup' | 'deleted-row' | 'none';

/** "May `identity` see this changed row of transaction `xid`, and does it satisfy `patterns`?" */
export interface VisibilityQuestion {
  identity: DatabaseIdentity;
  table: PublishedTable;
  row: WalRow;
  xid: number;
  rls: RlsCheck;
  /** like/ilike/match/imatch conditions on the WAL row, evaluated only once RLS has admitted it. */
  patterns: BoundCondition[];
}

/** Retries for a transaction whose commit we decoded but which other sessions cannot see yet. */
const MAX_VISIBILITY_WAITS = 500;

/**
 * A statement that evaluates client-supplied patterns is cancelled after this long plus PER_ROW per row, so a
 * pathological pattern (Postgres regex backreferences can be exponential too) costs its own subscriber's
 * answers — not delivered, and the binding is dropped (change-dispatcher.ts) — not everyone's.
 */
const PATTERN_STATEMENT_TIMEOUT_MS = 200;
/** Measured: 0.15–0.3 ms per row for lookup + LIKE over 500-character rows on a loaded 2-core box. */
const PATTERN_STATEMENT_TIMEOUT_PER_ROW_MS = 0.5;
/**
 * All pattern statements of one batch share this budget (plus PER_ROW per changed row), so many slow bindings
 * (one attacker, many channels) delay the batch — everyone's deliveries — by at most this much. Groups left
 * without budget get no answer for this batch.
 */
const PATTERN_BATCH_BUDGET_MS = 1_000;

export interface VisibilityAnswers {
  /** Per question: the subscriber may see the row and it satisfies the patterns. */
  visible: boolean[];
  /** Questions whose pattern statement used up its whole own timeout: patterns too slow to keep. */
  tooSlow: Set<number>;
}

interface PatternBudget {
  remainingMs: number;
  tooSlow: Set<number>;
}

/**
 * Answers many visibility questions in few round trips: per distinct identity, the role and claims are
 * applied transaction-locally and all its changed rows are looked up by primary key in one SELECT per table,
 * so RLS is evaluated by Postgres as that subscriber. Everything runs in a read-only, rolled-back transaction.
 * Cost: one statement per (identity, table) per batch, not one query per subscriber per change. Groups with
 * pattern filters (one per identity, table and pattern set) run in a second transaction, each statement under
 * a timeout; if one fails, they are asked again one by one so that only the slow one's rows are lost.
 *
 * Postgres writes (and streams) a commit record a moment before the committing transaction becomes visible
 * to other sessions. Lookups of a transaction our snapshot does not see yet are asked again shortly,
 * otherwise a row would be judged on its previous state (or as missing).
 */
export async function checkVisibility(
  client: pg.ClientBase,
  questions: VisibilityQuestion[],
  log: (line: string) => void,
): Promise<VisibilityAnswers> {
  const answers = questions.map(() => false);
  const changedRows = new Set(questions.map((question) => question.row)).size;
  const budget: PatternBudget = {
    remainingMs: PATTERN_BATCH_BUDGET_MS + changedRows * PATTERN_STATEMENT_TIMEOUT_PER_ROW_MS,
    tooSlow: new Set(),
  };
  let pending = questions.map((_, index) => index);
  for (let attempt = 0; pending.length > 0; attempt++) {
    const inFlight = await askAll(client, questions, pending, answers, budget, log);
    pending = pending.filter((index) => {
      const question = questions[index] as VisibilityQuestion;
      return question.rls === 'lookup' && inFlight.has(question.xid);
    });
    if (pending.length === 0) break;
    if (attempt >= MAX_VISIBILITY_WAITS) {
      log(`transactions ${[...inFlight].join(', ')} never became visible; their rows are not delivered`);
      break;
    }
    await sleep(Math.min(attempt + 1, 10));
  }
  return { visible: answers, tooSlow: budget.tooSlow };
}

export interface QuestionGroup {
  identity: DatabaseIdentity;
  table: PublishedTable;
  rls: RlsCheck;
  patterns: BoundCondition[];
  /** indexes into the questions array */
  indexes: number[];
}

async function askAll(
  client: pg.ClientBase,
  questions: VisibilityQuestion[],
  asked: number[],
  answers: boolean[],
  budget: PatternBudget,
  log: (line: string) => void,
): Promise<Set<number>> {
  const groups = groupByIdentityTableAndPatterns(questions, asked);
  const plain = groups.filter((group) => group.patterns.length === 0);
  const patterned = groups.filter((group) => group.patterns.length > 0);
  const inFlight = new Set<number>();
  try {
    if (plain.length > 0)
      for (const xid of await runBlocks(client, questions, plain, answers)) inFlight.add(xid);
  } catch {
    // One failing policy must not hide others' rows: retry identity by identity, failures stay invisible.
    for (const xid of await runAlone(client, questions, plain, answers, log)) inFlight.add(xid);
  }
  // Apart from the plain groups: a pattern that times out must not cost them a failed statement and retry.
  for (const xid of await runPatterned(client, questions, patterned, answers, budget, log)) inFlight.add(xid);
  return inFlight;
}

async function runPatterned(
  client: pg.ClientBase,
  questions: VisibilityQuestion[],
  groups: QuestionGroup[],
  answers: boolean[],
  budget: PatternBudget,
  log: (line: string) => void,
): Promise<Set<number>> {
  // All together first, each statement with its share of the budget (one round trip in the common case)…
  const share = Math.floor(budget.remainingMs / groups.length);
  if (groups.length > 1 && share > 0) {
    const started = performance.now();
    try {
      return await runBlocks(client, questions, groups, answers, (group) =>
        Math.min(ownTimeout(group), share),
      );
    } catch {
      // …and if one failed (a timeout aborts the transaction), one by one, to lose only the slow one's rows.
    } finally {
      budget.remainingMs -= performance.now() - started;
    }
  }
  const inFlight = new Set<number>();
  for (const group of groups) {
    const own = ownTimeout(group);
    const timeout = Math.min(own, Math.floor(budget.remainingMs));
    const where = `as ${group.identity.role} on ${group.table.name}`;
    if (timeout <= 0) {
      log(`pattern filters ${where}: batch budget spent, ${group.indexes.length} rows not delivered`);
      continue;
    }
    const started = performance.now();
    try {
      for (const xid of await runBlocks(client, questions, [group], answers, () => timeout))
        inFlight.add(xid);
    } catch (error) {
      const timedOut = (error as { code?: string }).code === STATEMENT_TIMEOUT;
      if (timedOut && timeout === own) for (const index of group.indexes) budget.tooSlow.add(index);
      log(`pattern filters ${where} failed for ${group.indexes.length} rows: ${(error as Error).message}`);
    } finally {
      budget.remainingMs -= performance.now() - started;
    }
  }
  return inFlight;
}

function ownTimeout(group: QuestionGroup): number {
  return Math.ceil(
    PATTERN_STATEMENT_TIMEOUT_MS + group.indexes.length * PATTERN_STATEMENT_TIMEOUT_PER_ROW_MS,
  );
}

/** SQLSTATE query_canceled, which a statement_timeout raises. */
const STATEMENT_TIMEOUT = '57014';

async function runAlone(
  client: pg.ClientBase,
  questions: VisibilityQuestion[],
  groups: QuestionGroup[],
  answers: boolean[],
  log: (line: string) => void,
): Promise<Set<number>> {
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

function groupByIdentityTableAndPatterns(questions: VisibilityQuestion[], asked: number[]): QuestionGroup[] {
  const groups = new Map<string, QuestionGroup>();
  for (const index of asked) {
    const question = questions[index] as VisibilityQuestion;
    const key = `${question.identity.key}\u0001${question.table.oid}\u0001${question.rls}\u0001${patternFilterKey(question.patterns)}`;
    let group = groups.get(key);
    if (!group) {
      const { identity, table, rls, patterns } = question;
      group = { identity, table, rls, patterns, indexes: [] };
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
  /** Statement timeout (ms, at least 1) for each group's check; none for plain RLS lookups. */
  timeoutOf?: (group: QuestionGroup) => number,
): Promise<Set<number>> {
  const lookedUpXids = new Set(
    groups
      .filter((group) => group.rls === 'lookup')
      .flatMap((group) => group.indexes.map((index) => (questions[index] as VisibilityQuestion).xid)),
  );
  // Repeatable read: the in-flight probe and every lookup share one snapshot.
  const statements = ['begin isolation level repeatable read read only'];
  if (lookedUpXids.size > 0) statements.push(inFlightSql([...lookedUpXids]));
  for (const group of groups) {
    statements.push(applyIdentitySql(group.identity));
    if (timeoutOf) statements.push(`select set_config('statement_timeout', '${timeoutOf(group)}', true)`);
    statements.push(checkSql(questions, group));
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
      const { xid } = questions[index] as VisibilityQuestion;
      if (group.rls !== 'lookup' || !inFlight.has(xid)) answers[index] = visible.has(index);
    }
  }
  return inFlight;
}
