import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { LogicalReplicationService, type Pgoutput, PgoutputPlugin } from 'pg-logical-replication';
import type { WalChange, WalRow } from './wal-change';

/**
 * pgoutput with the values left as Postgres text (pg-logical-replication would run them through pg's global
 * type parsers, which the app may reconfigure), on a TEMPORARY slot created on the replication connection
 * itself: the slot disappears with the connection, so a crash or restart never leaves WAL pinned.
 */
class TemporarySlotTextPgoutput extends PgoutputPlugin {
  override parse(buffer: Buffer): Pgoutput.Message {
    const message = super.parse(buffer) as Pgoutput.Message;
    if (message.tag === 'relation') for (const column of message.columns) column.parser = keepText;
    return message;
  }

  override async start(client: pg.Client, slotName: string, lastLsn: string): Promise<unknown> {
    await client.query(`CREATE_REPLICATION_SLOT "${slotName}" TEMPORARY LOGICAL pgoutput`);
    return super.start(client, slotName, lastLsn);
  }
}

function keepText(text: string): string {
  return text;
}

export interface ReplicationStreamOptions {
  databaseUrl: string;
  /** Read by the one slot; publications missing from the database are left out when the stream starts. */
  publications: () => Promise<string[]>;
  /** May return a promise to pause the stream until the consumer has caught up (backpressure). */
  onTransaction: (changes: WalChange[]) => Promise<void> | undefined;
  log: (line: string) => void;
}

/** Streams committed row changes of the publication's tables, reconnecting (with a fresh slot) on failure. */
export class ReplicationStream {
  private service: LogicalReplicationService | null = null;
  private stopped = false;
  private pending: WalChange[] = [];
  private commitTimestamp = '';
  private xid = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private started = false;

  constructor(private readonly options: ReplicationStreamOptions) {}

  /** Between the slot's creation and the connection's end: changes committed now will be delivered. */
  get streaming(): boolean {
    return this.started && !this.stopped;
  }

  /** Resolves once the slot exists and streaming has begun: changes committed from now on are delivered. */
  async start(): Promise<void> {
    const publicationNames = await this.options.publications();
    return new Promise((resolve, reject) => {
      const service = new LogicalReplicationService(
        { connectionString: this.options.databaseUrl },
        // Flow control: while onTransaction's promise is pending the socket is paused and WAL waits in
        // Postgres (bounded by max_slot_wal_keep_size) instead of piling up in our memory.
        { acknowledge: { auto: false, timeoutSeconds: 10 }, flowControl: { enabled: true } },
      );
      this.service = service;
      const slotName = `realtime_${process.pid}_${randomBytes(4).toString('hex')}`;
      service.on('start', () => {
        this.started = true;
        resolve();
      });
      service.on('data', (_lsn: string, message: Pgoutput.Message) => this.onMessage(service, message));
      service.on('heartbeat', (lsn: string, _time: number, shouldRespond: boolean) => {
        if (shouldRespond) void service.acknowledge(lsn);
      });
      service.on('error', (error: Error) => this.options.log(`replication error: ${error.message}`));
      const plugin = new TemporarySlotTextPgoutput({
        protoVersion: 1,
        publicationNames,
      });
      service
        .subscribe(plugin, slotName)
        .then(() => this.onEnded(service, null))
        .catch((error: Error) => {
          reject(error);
          this.onEnded(service, error);
        });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.service?.destroy();
    this.service = null;
  }

  private onEnded(service: LogicalReplicationService, error: Error | null): void {
    if (this.stopped || service !== this.service) return;
    this.started = false;
    this.options.log(`replication stream ended${error ? `: ${error.message}` : ''}; reconnecting`);
    this.retryTimer = setTimeout(() => {
      this.start().catch(() => {
        // onEnded schedules the next attempt
      });
    }, 1000);
  }

  private onMessage(
    service: LogicalReplicationService,
    message: Pgoutput.Message,
  ): Promise<void> | undefined {
    switch (message.tag) {
      case 'begin':
        this.pending = [];
        this.xid = message.xid;
        this.commitTimestamp = new Date(Number(BigInt(message.commitTime as bigint) / 1000n)).toISOString();
        return;
      case 'insert':
        this.push(message.relation, 'INSERT', message.new, null);
        return;
      case 'update':
        this.push(message.relation, 'UPDATE', message.new, message.old ?? message.key);
        return;
      case 'delete':
        this.push(message.relation, 'DELETE', null, message.old ?? message.key);
        return;
      case 'commit': {
        const changes = this.pending;
        this.pending = [];
        if (message.commitEndLsn) void service.acknowledge(message.commitEndLsn);
        return this.options.onTransaction(changes);
      }
      default:
        return;
    }
  }

  private push(
    relation: Pgoutput.MessageRelation,
    type: WalChange['type'],
    newRow: WalRow | null,
    oldRow: WalRow | null,
  ): void {
    this.pending.push({
      tableOid: relation.relationOid,
      schema: relation.schema,
      table: relation.name,
      type,
      xid: this.xid,
      commitTimestamp: this.commitTimestamp,
      newRow,
      oldRow,
    });
  }
}
