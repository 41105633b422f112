import pg from 'pg';
import type { DatabaseIdentity, RoleDirectory } from '../database-identity';
import { ChangeDispatcher } from './change-dispatcher';
import { type ChangeReceiver, createSubscriptions, type PostgresBinding } from './postgres-subscription';
import { PublicationCatalog } from './publication-catalog';
import { ReplicationStream } from './replication-stream';
import { SubscriptionIndex } from './subscription-index';

export interface PostgresChangesOptions {
  databaseUrl: string;
  pool: pg.Pool;
  roles: RoleDirectory;
  publication?: string;
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
    this.dispatcher = new ChangeDispatcher(this.index, () => this.connectedRlsClient(), options.log);
    this.stream = new ReplicationStream({
      databaseUrl: options.databaseUrl,
      publication: this.catalog.publication,
      onTransaction: (changes) => this.dispatcher.enqueue(changes),
      log: options.log,
    });
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
