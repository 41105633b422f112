import {
  parseReplayRequest,
  ReplayParamsError,
  type ReplayRequest,
} from '../database-broadcast/broadcast-replay';
import { storedBroadcastDelivery } from '../database-broadcast/database-broadcasts';
import { identityOf } from '../database-identity';
import type { PhoenixMessage } from '../socket/phoenix-frame';
import { bindingId, JoinConfigError, parseJoinConfig } from './join-config';
import { type ChannelTransport, RealtimeChannel } from './realtime-channel';
import type { RealtimeServices } from './realtime-services';
import { roomKey } from './room-registry';

export type JoinOutcome =
  | {
      ok: true;
      channel: RealtimeChannel;
      response: { postgres_changes: unknown[] };
      postgresStatus: { status: 'ok' | 'error'; message: string } | null;
    }
  | { ok: false; reason: string };

/**
 * The server-side join checks in Supabase's order (REALTIME-PROTOCOL.md §3.4): topic, token, private read
 * authorization, then postgres_changes subscriptions. The channel is not yet in its room: the caller sends
 * the reply first, then activates it.
 */
export async function joinChannel(
  services: RealtimeServices,
  transport: ChannelTransport,
  socketToken: string,
  message: PhoenixMessage,
): Promise<JoinOutcome> {
  const subTopic = message.topic.startsWith('realtime:')
    ? message.topic.slice('realtime:'.length)
    : message.topic;
  if (subTopic === '') return { ok: false, reason: 'TopicNameRequired: You must provide a topic name' };
  const { maxTopicBytes, maxPostgresChangesPerJoin } = services.limits;
  if (Buffer.byteLength(message.topic) > maxTopicBytes) {
    return { ok: false, reason: `UnableToJoin: topic name longer than ${maxTopicBytes} bytes` };
  }

  let config: ReturnType<typeof parseJoinConfig>;
  try {
    config = parseJoinConfig(message.payload, { maxKeyBytes: maxTopicBytes, maxPostgresChangesPerJoin });
  } catch (error) {
    if (error instanceof JoinConfigError) return { ok: false, reason: `UnableToJoin: ${error.message}` };
    throw error;
  }

  const token = config.accessToken ?? socketToken;
  const verification = await services.verifier.verify(token);
  if (!verification.ok) return { ok: false, reason: `${verification.code}: ${verification.message}` };

  const identity = identityOf(verification.claims);
  const reads = config.isPrivate
    ? await services.authorization.canRead(identity, subTopic, config.presenceEnabled)
    : { broadcast: true, presence: true };
  if (!reads.broadcast && !reads.presence) {
    return {
      ok: false,
      reason: `Unauthorized: You do not have permissions to read from this Channel topic: ${subTopic}`,
    };
  }

  let replay: ReplayRequest | null = null;
  if (config.replay !== undefined) {
    // rt `can_replay?` then `maybe_replay_messages`: read permission, private only, valid params.
    if (config.isPrivate && !reads.broadcast) {
      return {
        ok: false,
        reason: `Unauthorized: You do not have permissions to read from this Channel topic: ${subTopic}`,
      };
    }
    if (!config.isPrivate) {
      return { ok: false, reason: 'UnableToReplayMessages: Replay is not allowed for public channels' };
    }
    try {
      replay = parseReplayRequest(config.replay);
    } catch (error) {
      if (error instanceof ReplayParamsError) {
        return { ok: false, reason: 'UnableToReplayMessages: Replay params are not valid' };
      }
      throw error;
    }
  }

  const bindings = config.postgresChanges.map((binding) => ({ ...binding, id: bindingId(binding) }));
  const channel = new RealtimeChannel(
    services,
    transport,
    message.topic,
    subTopic,
    message.joinRef ?? message.ref,
    config,
    roomKey(config.isPrivate, subTopic),
    bindings,
    token,
    verification.claims,
    reads,
  );
  let postgresStatus: { status: 'ok' | 'error'; message: string } | null = null;
  if (bindings.length > 0) {
    const [status, text] = await services.subscribePostgresChanges(channel, bindings);
    postgresStatus = { status, message: text };
  }
  if (replay) {
    const failure = await replayInto(services, channel, replay);
    if (failure) {
      channel.dispose();
      return { ok: false, reason: failure };
    }
  }
  // Echo every binding in order with its id; supabase-js compares event/schema/table/filter.
  return { ok: true, channel, response: { postgres_changes: bindings }, postgresStatus };
}

/**
 * The channel joins its room before the stored broadcasts are read, so one committed in between arrives live
 * (held until the reply) and is dropped as a duplicate if the replay has it too. The error reason, if any.
 */
async function replayInto(
  services: RealtimeServices,
  channel: RealtimeChannel,
  request: ReplayRequest,
): Promise<string | null> {
  services.rooms.join(channel.roomKey, channel);
  try {
    const stored = await services.storedBroadcastsSince(channel.subTopic, request);
    channel.holdReplay(stored.map((message) => storedBroadcastDelivery(message, true)));
    return null;
  } catch (error) {
    services.log(`replay on ${channel.topic} failed: ${(error as Error).message}`);
    return 'UnableToReplayMessages: Realtime was unable to replay messages';
  }
}
