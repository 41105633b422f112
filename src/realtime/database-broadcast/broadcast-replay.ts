import type pg from 'pg';
import type { StoredBroadcast } from './database-broadcasts';

/** Supabase's hard cap on replayed messages per join (rt `Realtime.Messages` @hard_limit), also its default. */
export const MAX_REPLAYED_MESSAGES = 25;
const REPLAY_TIMEOUT_MS = 5_000;

/** DateTime.from_unix's range in milliseconds (years -9999 .. 9999): outside it Supabase refuses the join. */
const MIN_SINCE_MS = -377_705_116_800_000;
const MAX_SINCE_MS = 253_402_300_799_999;

export interface ReplayRequest {
  since: number;
  limit: number;
}

export class ReplayParamsError extends Error {}

/**
 * `config.broadcast.replay` of a join, checked as Supabase checks it: `since` (ms since the epoch) must be an
 * integer in DateTime's range, `limit` an integer (absent: 25), clamped to 1..25. Anything else refuses the join.
 */
export function parseReplayRequest(value: unknown): ReplayRequest | null {
  if (value === undefined) return null;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ReplayParamsError();
  const { since, limit } = value as { since?: unknown; limit?: unknown };
  if (!Number.isSafeInteger(since) || (since as number) < MIN_SINCE_MS || (since as number) > MAX_SINCE_MS) {
    throw new ReplayParamsError();
  }
  if (limit !== undefined && limit !== null && !Number.isSafeInteger(limit)) throw new ReplayParamsError();
  const wanted = typeof limit === 'number' ? limit : MAX_REPLAYED_MESSAGES;
  return { since: since as number, limit: Math.max(1, Math.min(MAX_REPLAYED_MESSAGES, wanted)) };
}

/**
 * The last `limit` broadcasts stored for a private topic since `since`, oldest first (rt `Realtime.Messages.
 * replay`): read by the server, after the join's read authorization. Rows over `maxPayloadBytes` are left out,
 * as they would be live. Partitions in the future are not searched (now + 1 minute, for clock drift).
 */
export async function storedBroadcastsSince(
  pool: pg.Pool,
  topic: string,
  request: ReplayRequest,
  maxPayloadBytes: number,
): Promise<StoredBroadcast[]> {
  // Before 1970 nothing was stored through realtime.send; Postgres's timestamps stop at 4713 BC.
  const sinceSeconds = Math.max(0, request.since) / 1000;
  const client = await pool.connect();
  let rows: { id: string; event: string; payload: string | null; binary_hex: string | null }[];
  try {
    await client.query('begin');
    // Supabase gives the replay query 5 s; a slow one costs this join, not a pool connection for longer.
    await client.query(`set local statement_timeout = ${REPLAY_TIMEOUT_MS}`);
    rows = await replayQuery(client, topic, sinceSeconds, request.limit, maxPayloadBytes);
  } finally {
    await client.query('rollback').catch(() => {});
    client.release();
  }
  return rows.reverse().map((row) => ({
    id: row.id,
    topic,
    event: row.event,
    isPrivate: true,
    encoding: row.binary_hex === null ? 1 : 0,
    bytes: row.binary_hex === null ? Buffer.from(row.payload ?? '{}') : Buffer.from(row.binary_hex, 'hex'),
  }));
}

async function replayQuery(
  client: pg.PoolClient,
  topic: string,
  sinceSeconds: number,
  limit: number,
  maxPayloadBytes: number,
) {
  const { rows } = await client.query<{
    id: string;
    event: string;
    payload: string | null;
    binary_hex: string | null;
  }>(
    // Text only: pg's global type parsers may be reconfigured by whoever embeds this server.
    `select id::text as id, event, payload::text as payload, encode(binary_payload, 'hex') as binary_hex
     from realtime.messages
     where topic = $1 and private is true and extension = 'broadcast' and event is not null
       and inserted_at >= to_timestamp($2::float8)::timestamp
       and inserted_at < (now() + interval '1 minute')::timestamp
       and coalesce(octet_length(binary_payload), octet_length(payload::text)) <= $4
     order by inserted_at desc
     limit $3`,
    [topic, sinceSeconds, limit, maxPayloadBytes],
  );
  return rows;
}
