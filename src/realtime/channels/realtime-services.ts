import type { PostgresBinding } from '../cdc/postgres-subscription';
import type { ReplayRequest } from '../database-broadcast/broadcast-replay';
import type { StoredBroadcast } from '../database-broadcast/database-broadcasts';
import type { JwtVerifier } from '../jwt-verifier';
import type { RealtimeLimits } from '../realtime-limits';
import type { TopicAuthorization } from '../topic-authorization';
import type { RealtimeChannel } from './realtime-channel';
import type { RoomRegistry } from './room-registry';

/** The server-wide parts every channel uses. */
export interface RealtimeServices {
  verifier: JwtVerifier;
  rooms: RoomRegistry;
  authorization: TopicAuthorization;
  limits: RealtimeLimits;
  /** Creates (or re-creates) the channel's postgres_changes subscriptions; the `system` message to send. */
  subscribePostgresChanges(
    channel: RealtimeChannel,
    bindings: PostgresBinding[],
  ): Promise<['ok' | 'error', string]>;
  postgresChanges: { unsubscribe(receiverId: number): void };
  /** Whether the WAL stream (postgres_changes and Broadcast from Database) is up. */
  replicationReady(): boolean;
  /** The broadcasts stored for a private topic since `request.since`, oldest first (replay at join). */
  storedBroadcastsSince(topic: string, request: ReplayRequest): Promise<StoredBroadcast[]>;
  log: (line: string) => void;
}
