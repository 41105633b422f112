import type { PostgresBinding } from '../cdc/postgres-subscription';
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
  log: (line: string) => void;
}
