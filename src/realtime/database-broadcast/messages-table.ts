import type pg from 'pg';

/** The publication of realtime.messages the WAL stream reads besides supabase_realtime (Supabase's name). */
export const MESSAGES_PUBLICATION = 'supabase_realtime_messages_publication';

const DAY_MS = 86_400_000;
/** Supabase's janitor drops partitions older than 72 hours. */
const KEEP_DAYS = 3;

/** Whether a WAL relation is realtime.messages or one of its day partitions. */
export function isMessagesRelation(schema: string, table: string): boolean {
  return schema === 'realtime' && (table === 'messages' || /^messages_\d{4}_\d{2}_\d{2}$/.test(table));
}

/**
 * What Supabase's realtime does to a tenant database on connect and in its janitor: the day partitions of
 * realtime.messages from yesterday to three days ahead, dropping those past 72 hours, and the publication its
 * replication connection reads. A database without realtime.messages, or a plain (unpartitioned) one, is left
 * as it is; Broadcast from Database then works as far as the table allows.
 */
export async function maintainMessagesTable(pool: pg.Pool, log: (line: string) => void): Promise<void> {
  const { rows } = await pool.query<{ kind: string | null; published: boolean }>(
    `select (select relkind::text from pg_class where oid = to_regclass('realtime.messages')) as kind,
            exists (select 1 from pg_publication where pubname = $1) as published`,
    [MESSAGES_PUBLICATION],
  );
  const { kind, published } = rows[0] ?? { kind: null, published: false };
  if (kind === null) return;
  if (kind === 'p') await maintainPartitions(pool, log);
  if (!published) {
    // Rows are published as realtime.messages whichever day partition holds them.
    await pool
      .query(
        `create publication ${MESSAGES_PUBLICATION} for table realtime.messages
         with (publish = 'insert', publish_via_partition_root = true)`,
      )
      .catch((error: Error) => log(`creating ${MESSAGES_PUBLICATION} failed: ${error.message}`));
  }
}

async function maintainPartitions(pool: pg.Pool, log: (line: string) => void): Promise<void> {
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  for (let offset = -1; offset <= 3; offset++) {
    const from = new Date(today + offset * DAY_MS);
    const to = new Date(today + (offset + 1) * DAY_MS);
    await pool
      .query(
        `create table if not exists realtime.${partitionName(from)} partition of realtime.messages
         for values from ('${isoDate(from)}') to ('${isoDate(to)}')`,
      )
      .catch((error: Error) => log(`creating partition ${partitionName(from)} failed: ${error.message}`));
  }
  const { rows } = await pool.query<{ name: string }>(
    `select child.relname as name from pg_inherits
     join pg_class child on child.oid = pg_inherits.inhrelid
     where pg_inherits.inhparent = 'realtime.messages'::regclass`,
  );
  const oldest = isoDate(new Date(today - KEEP_DAYS * DAY_MS));
  for (const { name } of rows) {
    const match = /^messages_(\d{4})_(\d{2})_(\d{2})$/.exec(name);
    if (!match || `${match[1]}-${match[2]}-${match[3]}` >= oldest) continue;
    await pool
      .query(`drop table if exists realtime.${name}`)
      .catch((error: Error) => log(`dropping partition ${name} failed: ${error.message}`));
  }
}

function partitionName(day: Date): string {
  return `messages_${isoDate(day).replaceAll('-', '_')}`;
}

function isoDate(day: Date): string {
  return day.toISOString().slice(0, 10);
}
