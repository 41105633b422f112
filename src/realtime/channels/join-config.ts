import { randomUUID } from 'node:crypto';
import type { PostgresBinding } from '../cdc/postgres-subscription';

/** The `phx_join` payload, normalized (REALTIME-PROTOCOL.md §3.1). Unknown keys are ignored. */
export interface JoinConfig {
  isPrivate: boolean;
  broadcastSelf: boolean;
  broadcastAck: boolean;
  presenceEnabled: boolean;
  presenceKey: string;
  /** The bindings exactly as sent, ids not yet assigned. */
  postgresChanges: Omit<PostgresBinding, 'id'>[];
  accessToken: string | null;
  /** `config.broadcast.replay` as sent (checked at join: private channels only, rt `Broadcast.Replay`). */
  replay: unknown;
  /** `config.broadcast.replication_ready`: send the "Replication connection established" system message. */
  replicationReady: boolean;
}

export class JoinConfigError extends Error {}

/** Bounds on what a join keeps for as long as the channel lives. */
export interface JoinConfigLimits {
  maxKeyBytes: number;
  maxPostgresChangesPerJoin: number;
}

export function parseJoinConfig(payload: unknown, limits: JoinConfigLimits): JoinConfig {
  const body = asObject(payload);
  const config = asObject(body.config);
  const broadcast = asObject(config.broadcast);
  const presence = asObject(config.presence);
  const key = typeof presence.key === 'string' && presence.key !== '' ? presence.key : randomUUID();
  if (Buffer.byteLength(key) > limits.maxKeyBytes) {
    throw new JoinConfigError(`presence key longer than ${limits.maxKeyBytes} bytes`);
  }
  const postgresChanges = config.postgres_changes;
  if (Array.isArray(postgresChanges) && postgresChanges.length > limits.maxPostgresChangesPerJoin) {
    throw new JoinConfigError(`more than ${limits.maxPostgresChangesPerJoin} postgres_changes bindings`);
  }
  const token = body.access_token ?? body.user_token;
  return {
    isPrivate: flexibleBoolean(config.private),
    broadcastSelf: flexibleBoolean(broadcast.self),
    broadcastAck: flexibleBoolean(broadcast.ack),
    presenceEnabled: flexibleBoolean(presence.enabled),
    presenceKey: key,
    postgresChanges: parseBindings(config.postgres_changes),
    // Opaque `sb_` keys are not JWTs; the socket's apikey stands in (as in Supabase).
    accessToken: typeof token === 'string' && token !== '' && !token.startsWith('sb_') ? token : null,
    replay: broadcast.replay ?? undefined,
    replicationReady: flexibleBoolean(broadcast.replication_ready),
  };
}

function parseBindings(value: unknown): Omit<PostgresBinding, 'id'>[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new JoinConfigError('config.postgres_changes must be a list');
  return value.map((item) => {
    const binding = asObject(item);
    if (typeof binding.event !== 'string')
      throw new JoinConfigError('postgres_changes event must be a string');
    const parsed: Omit<PostgresBinding, 'id'> = { event: binding.event };
    for (const field of ['schema', 'table', 'filter'] as const) {
      const fieldValue = binding[field];
      if (fieldValue === undefined || fieldValue === null) continue;
      if (typeof fieldValue !== 'string')
        throw new JoinConfigError(`postgres_changes ${field} must be a string`);
      parsed[field] = fieldValue;
    }
    if (Array.isArray(binding.select))
      parsed.select = binding.select.filter((name) => typeof name === 'string');
    return parsed;
  });
}

/** Booleans may arrive as "true"/"false" strings (rt FlexibleBoolean). */
function flexibleBoolean(value: unknown): boolean {
  return value === true || value === 'true';
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Stable, truthy id per distinct binding (rt uses phash2 of the params); identical bindings share one. */
export function bindingId(binding: Omit<PostgresBinding, 'id'>): number {
  const text = JSON.stringify([binding.event, binding.schema, binding.table, binding.filter, binding.select]);
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 100_000_000 || 1;
}
