import pg from 'pg';
import type { DatabaseIdentity, RoleDirectory } from '../database-identity';
import { ChangeDispatcher } from './change-dispatcher';
import { type ChangeReceiver, createSubscriptions, type PostgresBinding } from './postgres-subscription';
import { PublicationCatalog } from './publication-catalog';
import { ReplicationStream } from './replication-stream';
import { SubscriptionIndex } from './subscription-index';
import type { WalChange } from './wal-change';

/**
 * `strict` (default): a DELETE on an RLS table whose WAL holds the whole old row (REPLICA IDENTITY FULL) goes
 * only to subscribers its SELECT policies let read that row. `supabase`: as hosted Supabase, every DELETE on an
 * RLS table goes to every subscriber of the table, with the primary key only.
 */
export type DeleteEventsMode = 'strict' | 'supabase';

export interface PostgresChangesOptions {
  databaseUrl: string;
  pool: pg.Pool;
  roles: RoleDirectory;
  publication?: string;
  /** Further publications the same slot reads (realtime.messages'); their changes go to `onOtherChanges`. */
  otherPublications?: string[];
  /** Inserted rows of the other publications' tables, per committed transaction (Broadcast from Database). */
  onOtherInserts?: (changes: WalChange[]) => void;
  /** Whether a change belongs to the other publications (decided by the relation's name). */
  isOtherRelation?: (schema: string, table: string) => boolean;
  deleteEvents?: DeleteEventsMode;
  log: (line: string) => void;
}

/** The postgres_changes extension: WAL in, RLS-checked change frames out to subscribed channels. */
export class PostgresChanges {
  private readonly catalog: PublicationCatalog;
  private readonly index = new SubscriptionIndex();
  private readonly dispatcher: ChangeDispatcher;
  private readonly stream: ReplicationStream;
  private rlsClient: pg.Client | null = null;

  constructor(private readonly options: PostgresChangesOptions) {
    this.catalog = new PublicationCatalog(options.pool, options.publication ?? 'supabase_realtime');
    this.dispatcher = new ChangeDispatcher(
      this.index,
      () => this.connectedRlsClient(),
      options.log,
      options.deleteEvents ?? 'strict',
    );
    this.stream = new ReplicationStream({
      databaseUrl: options.databaseUrl,
      publications: () => this.existingPublications(),
      onTransaction: (changes) => this.route(changes),
      log: options.log,
    });
  }

  /** Whether the WAL stream is up (Supabase's `replication_ready`); false while it reconnects. */
  get streaming(): boolean {
    return this.stream.streaming;
  }

  /** One slot for everything: rows of the other publications' tables are split off at each commit. */
  private route(changes: WalChange[]): Promise<void> | undefined {
    const { isOtherRelation, onOtherInserts } = this.options;
    if (!isOtherRelation || !onOtherInserts) return this.dispatcher.enqueue(changes);
    const own: WalChange[] = [];
    const other: WalChange[] = [];
    for (const change of changes) (isOtherRelation(change.schema, change.table) ? other : own).push(change);
    if (other.length > 0) {
      try {
        onOtherInserts(other.filter((change) => change.type === 'INSERT'));
      } catch (error) {
        this.options.log(`delivering ${other.length} database broadcasts failed: ${(error as Error).stack}`);
      }
    }
    return this.dispatcher.enqueue(own);
  }

  private async existingPublications(): Promise<string[]> {
    const wanted = [this.catalog.publication, ...(this.options.otherPublications ?? [])];
    // Never throws: a failed start must reach the stream's reconnect loop (it fails there again, and retries).
    const rows = await this.options.pool
      .query<{ pubname: string }>('select pubname from pg_publication where pubname = any($1::text[])', [
        wanted,
      ])
      .then((result) => result.rows)
      .catch(() => wanted.map((pubname) => ({ pubname })));
    const existing = new Set(rows.map((row) => row.pubname));
    // The main publication stays even when missing, so a misconfigured database fails loudly at start.
    return wanted.filter((name) => name === this.catalog.publication || existing.has(name));
  }

  async start(): Promise<void> {
    await this.catalog.refresh();
    try {
      await this.stream.start();
    } catch (error) {
      await this.stream.stop();
      throw error;
    }
  }

  /** Replaces the receiver's subscriptions; throws SubscriptionError with the text Supabase would send. */
  async subscribe(
    receiver: ChangeReceiver,
    identity: DatabaseIdentity,
    bindings: PostgresBinding[],
  ): Promise<void> {
    const context = { pool: this.options.pool, catalog: this.catalog, roles: this.options.roles };
    this.index.replace(receiver.id, await createSubscriptions(context, receiver, identity, bindings));
  }

  unsubscribe(receiverId: number): void {
    this.index.remove(receiverId);
  }

  async stop(): Promise<void> {
    await this.stream.stop();
    await this.dispatcher.idle();
    await this.rlsClient?.end().catch(() => {});
    this.rlsClient = null;
  }

  /** One dedicated connection for the batched RLS checks; replaced if it breaks. */
  private async connectedRlsClient(): Promise<pg.Client> {
    if (this.rlsClient) return this.rlsClient;
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    client.on('error', (error) => {
      this.options.log(`RLS check connection lost: ${error.message}`);
      if (this.rlsClient === client) this.rlsClient = null;
    });
    await client.connect();
    this.rlsClient = client;
    return client;
  }
}
