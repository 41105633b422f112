import type { ChangeReceiver, PostgresBinding } from '../cdc/postgres-subscription';
import { type DatabaseIdentity, identityOf } from '../database-identity';
import type { VerifiedClaims } from '../jwt-verifier';
import type { PhoenixMessage, ProtocolVersion, UserBroadcastPush } from '../socket/phoenix-frame';
import { encodeFanOutFrame, encodeTextFrame } from '../socket/phoenix-frame';
import type { PresenceBudget } from '../socket/presence-budget';
import type { ReadPermissions, TopicExtension } from '../topic-authorization';
import { BroadcastDelivery } from './broadcast-delivery';
import type { JoinConfig } from './join-config';
import type { RealtimeServices } from './realtime-services';
import type { RoomMember } from './room-registry';

/** What a channel needs from the socket it lives on. */
export interface ChannelTransport {
  readonly version: ProtocolVersion;
  /** The connection's bound on presence metas, shared by its channels. */
  readonly presenceBudget: PresenceBudget;
  send(frame: string | Buffer): void;
  channelClosed(channel: RealtimeChannel): void;
}

/** Longest the server trusts a token before re-checking it (rt `confirm_token`). */
const MAX_TOKEN_CHECK_INTERVAL_MS = 5 * 60_000;
/** `replication_ready`: how often the WAL stream is asked whether it is up, and for how long (rt defaults). */
const REPLICATION_READY_CHECK_MS = 500;
const REPLICATION_READY_TIMEOUT_MS = 60_000;

interface HeldFrame {
  frame: string | Buffer;
  /** realtime.messages id of a broadcast from the database, so a replay can drop its live duplicate. */
  messageId?: string;
}

let nextChannelId = 1;

/** One joined topic on one socket: broadcast, presence, postgres_changes and its token's lifetime. */
export class RealtimeChannel implements RoomMember, ChangeReceiver {
  readonly id = nextChannelId++;
  readonly presenceKey: string;
  private token: string;
  identity: DatabaseIdentity;
  private writes = new Map<TopicExtension, Promise<boolean>>();
  /** Frames produced before the join reply went out; flushed right after it. */
  private heldFrames: HeldFrame[] | null = [];
  /** Ids of the broadcasts replayed at join: their live delivery is skipped (rt `replayed_message_ids`). */
  private replayedIds: ReadonlySet<string> = new Set();
  private expiryTimer: NodeJS.Timeout | null = null;
  private replicationReadyTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly services: RealtimeServices,
    private readonly transport: ChannelTransport,
    readonly topic: string,
    readonly subTopic: string,
    readonly joinRef: string | null,
    readonly config: JoinConfig,
    readonly roomKey: string,
    readonly bindings: PostgresBinding[],
    token: string,
    claims: VerifiedClaims,
    private reads: ReadPermissions,
  ) {
    this.presenceKey = config.presenceKey;
    this.token = token;
    this.identity = identityOf(claims);
  }

  /** Called right after the ok join reply was sent. */
  activate(postgresStatus: { status: 'ok' | 'error'; message: string } | null): void {
    this.services.rooms.join(this.roomKey, this);
    for (const { frame } of this.heldFrames ?? []) this.transport.send(frame);
    this.heldFrames = null;
    if (postgresStatus) this.pushSystem('postgres_changes', postgresStatus.status, postgresStatus.message);
    if (this.config.presenceEnabled && this.reads.presence) this.pushPresenceState();
    if (this.config.replicationReady) this.notifyReplicationReady(Date.now() + REPLICATION_READY_TIMEOUT_MS);
    this.scheduleTokenCheck();
  }

  /**
   * Before activation (the channel already in its room, so nothing committed meanwhile is missed): the
   * replayed broadcasts go out first, right after the join reply, each with `meta.replayed`; a live copy of
   * one of them, held or still to come, is dropped.
   */
  holdReplay(replayed: BroadcastDelivery[]): void {
    if (!this.heldFrames) return;
    const ids = new Set(replayed.flatMap((delivery) => (delivery.messageId ? [delivery.messageId] : [])));
    this.replayedIds = ids;
    const live = this.heldFrames.filter(({ messageId }) => !messageId || !ids.has(messageId));
    const frames = replayed.flatMap((delivery) => {
      const frame = delivery.frameFor(this.transport.version);
      return frame === null ? [] : [{ frame }];
    });
    this.heldFrames = [...frames, ...live];
  }

  /** rt `:notify_replication_ready`: once the WAL stream is up, or close the channel at the deadline. */
  private notifyReplicationReady(deadline: number): void {
    if (this.closed) return;
    if (this.services.replicationReady()) {
      this.pushSystem('system', 'ok', 'Replication connection established');
    } else if (Date.now() >= deadline) {
      this.shutdown('Replication connection was not established in time');
    } else {
      this.replicationReadyTimer = setTimeout(
        () => this.notifyReplicationReady(deadline),
        REPLICATION_READY_CHECK_MS,
      );
      this.replicationReadyTimer.unref();
    }
  }

  canReceiveBroadcast(): boolean {
    return !this.closed && this.reads.broadcast;
  }

  canReceivePresence(): boolean {
    return !this.closed && this.reads.presence;
  }

  deliverBroadcast(delivery: BroadcastDelivery): void {
    if (delivery.messageId && this.replayedIds.has(delivery.messageId)) return;
    const frame = delivery.frameFor(this.transport.version);
    if (frame !== null) this.sendFrame(frame, delivery.messageId);
  }

  sendFanOut(event: string, payloadJson: string): void {
    this.sendFrame(encodeFanOutFrame(this.transport.version, this.topic, event, payloadJson));
  }

  private sendFrame(frame: string | Buffer, messageId?: string): void {
    if (this.closed) return;
    if (this.heldFrames) this.heldFrames.push({ frame, messageId });
    else this.transport.send(frame);
  }

  push(event: string, payload: unknown, ref: string | null = null): void {
    this.transport.send(
      encodeTextFrame(this.transport.version, {
        joinRef: this.joinRef,
        ref,
        topic: this.topic,
        event,
        payload,
      }),
    );
  }

  reply(ref: string | null, status: 'ok' | 'error', response: unknown = {}): void {
    this.push('phx_reply', { status, response }, ref);
  }

  /** A broadcast pushed by this channel's client (JSON push or kind-3 frame). */
  async broadcastFromClient(message: PhoenixMessage | UserBroadcastPush): Promise<void> {
    const delivery = toDelivery(this.topic, message);
    if (!delivery)
      return this.reply(message.ref, 'error', { reason: 'broadcast payload must be {type, event, payload}' });
    if (this.config.isPrivate && !(await this.canWrite('broadcast'))) return; // dropped silently, as in Supabase
    this.services.rooms.broadcast(this.roomKey, delivery, this.config.broadcastSelf ? undefined : this);
    if (this.config.broadcastAck) this.reply(message.ref, 'ok');
  }

  async presence(message: PhoenixMessage): Promise<void> {
    const body = (message.payload ?? {}) as { event?: unknown; payload?: unknown };
    if (body.event === 'untrack') {
      this.services.rooms.untrack(this.roomKey, this);
      this.transport.presenceBudget.release(this.id);
      return this.reply(message.ref, 'ok');
    }
    if (body.event !== 'track') return this.reply(message.ref, 'error', { reason: 'unknown presence event' });
    const meta = body.payload;
    if (!meta || typeof meta !== 'object' || Array.isArray(meta)) {
      return this.reply(message.ref, 'error', { reason: 'Presence track payload must be a map' });
    }
    const metaJson = serialise(meta);
    if (metaJson === null) {
      return this.reply(message.ref, 'error', {
        reason: 'UnableToTrackPresence: payload cannot be serialised',
      });
    }
    const metaBytes = Buffer.byteLength(metaJson);
    if (metaBytes > this.services.limits.maxPresenceMetaBytes) {
      const limit = this.services.limits.maxPresenceMetaBytes;
      return this.reply(message.ref, 'error', {
        reason: `PayloadTooLarge: Track message size exceeded ${limit} bytes`,
      });
    }
    if (this.config.isPrivate && !(await this.canWrite('presence'))) return this.reply(message.ref, 'error');
    if (this.closed) return;
    if (!this.config.presenceEnabled) await this.enablePresence();
    if (this.closed) return;
    if (!this.transport.presenceBudget.reserve(this.id, metaBytes)) {
      return this.reply(message.ref, 'error', {
        reason: 'PresenceLimitReached: Too much presence tracked on this connection',
      });
    }
    this.services.rooms.track(this.roomKey, this, meta as Record<string, unknown>, metaJson);
    this.reply(message.ref, 'ok');
  }

  /** `access_token` push: re-verify, re-authorize, re-subscribe with the new claims (§8.2). */
  async refreshToken(message: PhoenixMessage): Promise<void> {
    const token = (message.payload as { access_token?: unknown } | null)?.access_token;
    if (typeof token !== 'string' || token === this.token || token.startsWith('sb_')) return;
    const verification = await this.services.verifier.verify(token);
    if (!verification.ok) return this.shutdown(verification.message);
    const identity = identityOf(verification.claims);
    if (this.config.isPrivate) {
      const reads = await this.services.authorization.canRead(
        identity,
        this.subTopic,
        this.config.presenceEnabled,
      );
      if ((this.reads.broadcast && !reads.broadcast) || (this.reads.presence && !reads.presence)) {
        return this.shutdown(
          `You no longer have permission to read from this Channel topic: ${this.subTopic}`,
        );
      }
      this.reads = reads;
    }
    this.token = token;
    this.identity = identity;
    this.writes.clear();
    if (this.bindings.length > 0) {
      const [status, text] = await this.services.subscribePostgresChanges(this, this.bindings);
      this.pushSystem('postgres_changes', status, text);
    }
    this.scheduleTokenCheck();
  }

  private canWrite(extension: TopicExtension): Promise<boolean> {
    let allowed = this.writes.get(extension);
    if (!allowed) {
      allowed = this.services.authorization.canWrite(this.identity, this.subTopic, extension);
      this.writes.set(extension, allowed);
    }
    return allowed;
  }

  private async enablePresence(): Promise<void> {
    this.config.presenceEnabled = true;
    if (this.config.isPrivate && !this.reads.presence) {
      const reads = await this.services.authorization.canRead(this.identity, this.subTopic, true);
      this.reads = { ...this.reads, presence: reads.presence };
    }
    if (this.reads.presence) this.pushPresenceState();
  }

  private pushPresenceState(): void {
    this.push('presence_state', this.services.rooms.presenceState(this.roomKey));
  }

  private pushSystem(extension: string, status: 'ok' | 'error', message: string): void {
    this.push('system', { extension, status, message, channel: this.subTopic });
  }

  private scheduleTokenCheck(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    const untilExpiry = this.identity.claims.exp * 1000 - Date.now();
    this.expiryTimer = setTimeout(
      () =>
        void this.checkToken().catch((error: Error) =>
          this.services.log(`token check on ${this.topic} failed: ${error.stack ?? error.message}`),
        ),
      Math.max(0, Math.min(MAX_TOKEN_CHECK_INTERVAL_MS, untilExpiry)),
    );
    this.expiryTimer.unref();
  }

  private async checkToken(): Promise<void> {
    const verification = await this.services.verifier.verify(this.token);
    if (verification.ok) this.scheduleTokenCheck();
    else this.shutdown(verification.message);
  }

  /** Server-side close (expired token, lost permission, server stop): system error, then phx_close. */
  shutdown(message: string, status: 'ok' | 'error' = 'error'): void {
    if (this.closed) return;
    try {
      this.pushSystem('system', status, message);
      this.push('phx_close', {}, this.joinRef);
    } finally {
      this.dispose();
      this.transport.channelClosed(this);
    }
  }

  /** Leaves every room and subscription; no frames. Never throws: it runs on every close path. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.heldFrames = null;
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    if (this.replicationReadyTimer) clearTimeout(this.replicationReadyTimer);
    for (const [what, leave] of [
      ['presence budget', () => this.transport.presenceBudget.release(this.id)],
      ['room', () => this.services.rooms.leave(this.roomKey, this)],
      ['postgres_changes', () => this.services.postgresChanges.unsubscribe(this.id)],
    ] as const) {
      try {
        leave();
      } catch (error) {
        this.services.log(`leaving ${what} of ${this.topic} failed: ${(error as Error).stack}`);
      }
    }
  }
}

/** JSON text of a presence meta, or null when it cannot be serialised. */
function serialise(meta: object): string | null {
  try {
    return JSON.stringify(meta);
  } catch {
    return null;
  }
}

function toDelivery(topic: string, message: PhoenixMessage | UserBroadcastPush): BroadcastDelivery | null {
  if ('userEvent' in message) {
    return new BroadcastDelivery(topic, message.userEvent, {
      origin: 'user',
      encoding: message.encoding,
      bytes: message.payload,
    });
  }
  const body = message.payload as { event?: unknown; payload?: unknown } | null;
  if (!body || typeof body !== 'object' || typeof body.event !== 'string') return null;
  return new BroadcastDelivery(topic, body.event, { origin: 'json', payload: body.payload ?? {} });
}
