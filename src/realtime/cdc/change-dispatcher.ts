import type pg from 'pg';
import { changeDataJson } from './change-payload';
import { isWholeRow } from './deleted-row-policy-sql';
import { rowMatches } from './filter-evaluation';
import { patternFilterKey } from './pattern-filter-sql';
import type { PostgresSubscription } from './postgres-subscription';
import { checkVisibility, type RlsCheck, type VisibilityQuestion } from './rls-visibility-check';
import type { SubscriptionIndex } from './subscription-index';
import type { WalChange } from './wal-change';

/** Changes waiting for dispatch before the WAL stream is paused. */
const MAX_BACKLOG = 20_000;

interface Candidate {
  change: WalChange;
  changeIndex: number;
  subscription: PostgresSubscription;
}

/**
 * Fans committed WAL changes out to postgres_changes subscribers. Changes are processed in commit order;
 * while one batch waits for its RLS answers, newly committed changes queue up and are checked together in
 * the next batch, so load raises batch size rather than query count.
 */
export class ChangeDispatcher {
  private queue: WalChange[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly subscriptions: SubscriptionIndex,
    private readonly rlsClient: () => Promise<pg.ClientBase>,
    private readonly log: (line: string) => void,
    private readonly deleteEvents: 'strict' | 'supabase' = 'strict',
  ) {}

  /** Returns a promise while the backlog is over the limit: the caller should wait before sending more. */
  enqueue(changes: WalChange[]): Promise<void> | undefined {
    if (changes.length === 0 || this.subscriptions.size === 0) return undefined;
    this.queue.push(...changes);
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
    return this.queue.length > MAX_BACKLOG ? this.running : undefined;
  }

  /** Resolves once everything queued so far is delivered (used by shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.dispatch(batch);
      } catch (error) {
        this.log(`postgres_changes batch of ${batch.length} failed: ${(error as Error).message}`);
      }
    }
  }

  private async dispatch(changes: WalChange[]): Promise<void> {
    const candidates = this.matchFilters(changes);
    const needsCheck = candidates.filter(({ change, subscription }) =>
      needsPostgres(change, subscription, this.deleteEvents),
    );
    const { visible, tooSlow } = await this.checkInPostgres(needsCheck);
    for (const subscription of tooSlow) this.dropTooSlow(subscription);
    const delivered = candidates.filter(
      (candidate) =>
        !needsPostgres(candidate.change, candidate.subscription, this.deleteEvents) || visible.has(candidate),
    );
    this.send(delivered);
  }

  /**
   * The candidates whose subscriber may SELECT the changed row and whose pattern filters it satisfies; the same
   * identity, row and patterns are asked once.
   */
  private async checkInPostgres(
    candidates: Candidate[],
  ): Promise<{ visible: Set<Candidate>; tooSlow: Set<PostgresSubscription> }> {
    if (candidates.length === 0) return { visible: new Set(), tooSlow: new Set() };
    const questions: VisibilityQuestion[] = [];
    const positions = new Map<string, number>();
    const positionOf = candidates.map(({ change, subscription }) => {
      const question = {
        identity: subscription.identity,
        table: subscription.table,
        row: (change.type === 'DELETE' ? change.oldRow : change.newRow) ?? {},
        xid: change.xid,
        rls: rlsCheck(change, subscription, this.deleteEvents),
        patterns: subscription.patterns,
      };
      const key = questionKey(question);
      let position = positions.get(key);
      if (position === undefined) {
        position = questions.push(question) - 1;
        positions.set(key, position);
      }
      return position;
    });
    const answers = await checkVisibility(await this.rlsClient(), questions, this.log);
    const at = (index: number) => positionOf[index] as number;
    return {
      visible: new Set(candidates.filter((_, index) => answers.visible[at(index)])),
      tooSlow: new Set(
        candidates
          .filter(
            ({ subscription }, index) => subscription.patterns.length > 0 && answers.tooSlow.has(at(index)),
          )
          .map(({ subscription }) => subscription),
      ),
    };
  }

  /**
   * A binding whose patterns ran out of their statement timeout would cost every batch that much again: it is
   * removed, and its channel told why (the channel itself stays joined, as after a bad filter at join).
   */
  private dropTooSlow(subscription: PostgresSubscription): void {
    this.subscriptions.drop(subscription);
    const message = `Error evaluating \`filter\` params: a pattern took too long in Postgres; binding ${subscription.bindingId} was removed`;
    subscription.receiver.sendFanOut(
      'system',
      JSON.stringify({ extension: 'postgres_changes', status: 'error', message }),
    );
  }

  private matchFilters(changes: WalChange[]): Candidate[] {
    const candidates: Candidate[] = [];
    changes.forEach((change, changeIndex) => {
      for (const subscription of this.subscriptions.forTable(change.tableOid)) {
        if (subscription.event !== '*' && subscription.event !== change.type) continue;
        if (!primaryKeyVisible(subscription)) continue;
        const row = change.type === 'DELETE' ? change.oldRow : change.newRow;
        if (!rowMatches(subscription.conditions, row ?? {})) continue;
        candidates.push({ change, changeIndex, subscription });
      }
    });
    return candidates;
  }

  /** One frame per channel per change, listing all of that channel's bindings the change satisfies. */
  private send(delivered: Candidate[]): void {
    const dataJsonCache = new Map<string, string>();
    const frames = new Map<string, { candidate: Candidate; ids: number[]; variant: string }>();
    for (const candidate of delivered) {
      const { subscription, changeIndex } = candidate;
      const variant = columnVariant(subscription);
      const key = `${subscription.receiver.id}:${changeIndex}:${variant}`;
      const frame = frames.get(key);
      if (frame) {
        if (!frame.ids.includes(subscription.bindingId)) frame.ids.push(subscription.bindingId);
      } else frames.set(key, { candidate, ids: [subscription.bindingId], variant });
    }
    for (const { candidate, ids, variant } of frames.values()) {
      const { change, changeIndex, subscription } = candidate;
      const dataKey = `${changeIndex}:${variant}`;
      let dataJson = dataJsonCache.get(dataKey);
      if (dataJson === undefined) {
        dataJson = changeDataJson(change, subscription.table, columnsOf(subscription));
        dataJsonCache.set(dataKey, dataJson);
      }
      subscription.receiver.sendFanOut(
        'postgres_changes',
        `{"ids":${JSON.stringify(ids)},"data":${dataJson}}`,
      );
    }
  }
}

/**
 * Rows of RLS tables are checked as the subscriber. Supabase cannot check a DELETE (the row is gone) and
 * sends its primary key to everyone (mode `supabase`); in mode `strict`, when the WAL holds the whole old row,
 * we judge it against the policies.
 */
function rlsCheck(
  change: WalChange,
  subscription: PostgresSubscription,
  deleteEvents: 'strict' | 'supabase',
): RlsCheck {
  if (!subscription.table.rlsEnabled || subscription.bypassesRls) return 'none';
  if (change.type !== 'DELETE') return 'lookup';
  if (deleteEvents === 'supabase') return 'none';
  return isWholeRow(subscription.table, change.oldRow) ? 'deleted-row' : 'none';
}

/** RLS to apply or pattern filters to evaluate: both happen in Postgres, never in this process. */
function needsPostgres(
  change: WalChange,
  subscription: PostgresSubscription,
  deleteEvents: 'strict' | 'supabase',
): boolean {
  return rlsCheck(change, subscription, deleteEvents) !== 'none' || subscription.patterns.length > 0;
}

/** Without SELECT on every key column (or without a key) a row cannot be checked: nothing is sent. */
function primaryKeyVisible(subscription: PostgresSubscription): boolean {
  const { primaryKey } = subscription.table;
  if (primaryKey.length === 0) return !subscription.table.rlsEnabled || subscription.bypassesRls;
  return primaryKey.every((name) => subscription.visibleColumns.has(name));
}

function columnsOf(subscription: PostgresSubscription): Set<string> {
  if (!subscription.selectedColumns) return subscription.visibleColumns;
  return new Set([...subscription.selectedColumns].filter((name) => subscription.visibleColumns.has(name)));
}

function columnVariant(subscription: PostgresSubscription): string {
  return `${subscription.identity.role}|${subscription.selectedColumns ? [...subscription.selectedColumns].join(',') : '*'}`;
}

function questionKey(question: VisibilityQuestion): string {
  const key = question.table.primaryKey.map((name) => question.row[name]).join('\u0000');
  const patterns = question.patterns.length === 0 ? '' : patternFilterKey(question.patterns);
  return `${question.identity.key}\u0001${question.table.oid}\u0001${question.rls}\u0001${key}\u0001${patterns}`;
}
