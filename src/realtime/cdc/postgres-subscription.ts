import type pg from 'pg';
import { type DatabaseIdentity, escapeIdentifier, type RoleDirectory } from '../database-identity';
import type { BoundCondition } from './filter-evaluation';
import { isPatternOperator, patternProblem, regexCompileSql } from './pattern-filter-sql';
import { type FilterCondition, FilterSyntaxError, parseFilter } from './postgres-filter';
import type { PublicationCatalog, PublishedTable } from './publication-catalog';

export type ChangeEvent = 'INSERT' | 'UPDATE' | 'DELETE';

/** One postgres_changes binding of a joined channel, as the client sent it (keys it omitted are absent). */
export interface PostgresBinding {
  id: number;
  event: string;
  schema?: string;
  table?: string;
  filter?: string;
  select?: string[];
}

export interface ChangeReceiver {
  readonly id: number;
  sendFanOut(event: string, payloadJson: string): void;
}

/** A binding resolved against one published table, ready to match WAL changes. */
export interface PostgresSubscription {
  receiver: ChangeReceiver;
  bindingId: number;
  table: PublishedTable;
  event: ChangeEvent | '*';
  /** Comparison conditions, evaluated in this process (filter-evaluation.ts). */
  conditions: BoundCondition[];
  /** like/ilike/match/imatch conditions, evaluated only in Postgres after RLS (pattern-filter-sql.ts). */
  patterns: BoundCondition[];
  identity: DatabaseIdentity;
  bypassesRls: boolean;
  visibleColumns: Set<string>;
  /** `select` of the binding plus the primary key, or null for all visible columns. */
  selectedColumns: Set<string> | null;
}

export class SubscriptionError extends Error {}

const PATTERN_OPERATORS = new Set(['like', 'ilike', 'match', 'imatch', 'is']);

export interface SubscriptionContext {
  pool: pg.Pool;
  catalog: PublicationCatalog;
  roles: RoleDirectory;
}

/** Resolves every binding of a channel, all or nothing (a bad binding fails the channel's subscription). */
export async function createSubscriptions(
  context: SubscriptionContext,
  receiver: ChangeReceiver,
  identity: DatabaseIdentity,
  bindings: PostgresBinding[],
): Promise<PostgresSubscription[]> {
  const bypassesRls = await context.roles.bypassesRls(identity.role);
  const tables = await context.catalog.refresh();
  const subscriptions: PostgresSubscription[] = [];
  for (const binding of bindings) {
    const event = binding.event.toUpperCase();
    if (bypassesRls === null || !['INSERT', 'UPDATE', 'DELETE', '*'].includes(event))
      throw unableToSubscribe(binding);
    const matching = tables.filter((table) => bindingCovers(binding, table));
    if (matching.length === 0) throw unableToSubscribe(binding);
    const conditions = parseConditions(binding.filter);
    for (const table of matching) {
      const visibleColumns = await context.catalog.visibleColumns(identity.role, table);
      const bound = bindConditions(conditions, table, visibleColumns);
      subscriptions.push({
        receiver,
        bindingId: binding.id,
        table,
        event: event as ChangeEvent | '*',
        conditions: bound.filter((condition) => !isPatternOperator(condition.operator)),
        patterns: bound.filter((condition) => isPatternOperator(condition.operator)),
        identity,
        bypassesRls,
        visibleColumns,
        selectedColumns: binding.select ? new Set([...binding.select, ...table.primaryKey]) : null,
      });
    }
  }
  await canonicalizeFilterValues(context.pool, subscriptions);
  await compileRegexes(context.pool, subscriptions);
  return subscriptions;
}

/** `schema`/`table` `*` cover everything; `table` alone means schema public; no table means the whole schema. */
function bindingCovers(binding: PostgresBinding, table: PublishedTable): boolean {
  const schema = binding.schema ?? 'public';
  if (schema !== '*' && schema !== table.schema) return false;
  return binding.table === undefined || binding.table === '*' || binding.table === table.name;
}

function parseConditions(filter: string | undefined): FilterCondition[] {
  try {
    return parseFilter(filter);
  } catch (error) {
    if (error instanceof FilterSyntaxError)
      throw new SubscriptionError(`Error parsing \`filter\` params: ${error.message}`);
    throw error;
  }
}

function bindConditions(
  conditions: FilterCondition[],
  table: PublishedTable,
  visible: Set<string>,
): BoundCondition[] {
  return conditions.map((condition) => {
    const column = table.columns.find((candidate) => candidate.name === condition.column);
    if (!column || !visible.has(column.name)) {
      throw new SubscriptionError(
        `Error parsing \`filter\` params: unknown column ${JSON.stringify(condition.column)}`,
      );
    }
    const problem = isPatternOperator(condition.operator) ? patternProblem(condition) : null;
    if (problem) throw new SubscriptionError(`Error parsing \`filter\` params: ${problem}`);
    return { ...condition, values: [...condition.values], columnType: column.type };
  });
}

/**
 * How long Postgres may spend compiling a channel's regexes at join. Nested bounded repetitions can take
 * seconds before Postgres itself calls them too complex; a real filter's regex compiles in well under 1 ms.
 */
const REGEX_COMPILE_TIMEOUT_MS = 100;

/** An invalid (or too complex) regex fails the subscription at join, as a bad cast does, not row by row later. */
async function compileRegexes(pool: pg.Pool, subscriptions: PostgresSubscription[]): Promise<void> {
  const sql = regexCompileSql(subscriptions.flatMap((subscription) => subscription.patterns));
  if (sql === null) return;
  const client = await pool.connect();
  try {
    await client.query(`begin; set local statement_timeout = ${REGEX_COMPILE_TIMEOUT_MS}; ${sql}; rollback`);
  } catch (error) {
    await client.query('rollback').catch(() => {});
    const message =
      (error as { code?: string }).code === '57014'
        ? `regular expression is too complex (compiling it took over ${REGEX_COMPILE_TIMEOUT_MS} ms)`
        : (error as Error).message;
    throw new SubscriptionError(`Error parsing \`filter\` params: ${message}`);
  } finally {
    client.release();
  }
}

/**
 * Casts every filter value to its column's type and back to text, in Postgres: a value the column type
 * rejects fails the subscription as in Supabase, and accepted values become the canonical text the WAL uses.
 */
async function canonicalizeFilterValues(pool: pg.Pool, subscriptions: PostgresSubscription[]): Promise<void> {
  const slots: { values: (string | null)[]; index: number; type: string }[] = [];
  for (const { conditions } of subscriptions) {
    for (const condition of conditions) {
      if (PATTERN_OPERATORS.has(condition.operator)) continue;
      condition.values.forEach((value, index) => {
        if (value !== null) slots.push({ values: condition.values, index, type: condition.columnType });
      });
    }
  }
  if (slots.length === 0) return;
  const selects = slots.map((slot, index) => `$${index + 1}::text::${typeReference(slot.type)}::text`);
  try {
    const { rows } = await pool.query({
      text: `select ${selects.join(', ')}`,
      values: slots.map((slot) => slot.values[slot.index]),
      rowMode: 'array',
    });
    const canonical = rows[0] as string[];
    slots.forEach((slot, index) => {
      slot.values[slot.index] = canonical[index] ?? null;
    });
  } catch (error) {
    throw new SubscriptionError(`Error parsing \`filter\` params: ${(error as Error).message}`);
  }
}

function typeReference(typname: string): string {
  return typname.startsWith('_') ? `${escapeIdentifier(typname.slice(1))}[]` : escapeIdentifier(typname);
}

function unableToSubscribe(binding: PostgresBinding): SubscriptionError {
  const filters = binding.filter ? `[${binding.filter}]` : '[]';
  return new SubscriptionError(
    'Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given ' +
      `connect parameters: [event: ${binding.event}, schema: ${binding.schema ?? 'public'}, table: ${binding.table ?? '*'}, ` +
      `filters: ${filters}, select: ${binding.select ? JSON.stringify(binding.select) : 'nil'}]`,
  );
}
