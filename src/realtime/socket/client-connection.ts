import type WebSocket from 'ws';
import { joinChannel } from '../channels/channel-join';
import type { ChannelTransport, RealtimeChannel } from '../channels/realtime-channel';
import type { RealtimeServices } from '../channels/realtime-services';
import { decodeOnArrival, type Refusal } from './frame-arrival';
import { InboundQueue } from './inbound-queue';
import { PerSecondCounter } from './per-second-counter';
import {
  encodeTextFrame,
  type PhoenixMessage,
  type ProtocolVersion,
  type UserBroadcastPush,
} from './phoenix-frame';
import { PresenceBudget } from './presence-budget';

/** RFC 6455 "policy violation": the client broke a limit; the reason names which one. */
export const CLOSE_POLICY_VIOLATION = 1008;

export const CLOSE_REASONS = {
  tooManyFrames: 'RateLimitReached: Too many messages per second',
  tooManyBytes: 'RateLimitReached: Too many bytes per second',
  queueFull: 'MessageQueueFull: Too many messages waiting to be processed',
  tooManyJoins: 'ClientJoinRateLimitReached: Too many joins per second',
  tooManyFromAddress:
    'ClientJoinRateLimitReached: Too many joins or token refreshes per second from this address',
} as const;

const POLICY_CLOSE_GRACE_MS = 1_000;

/**
 * One websocket: checks every frame on arrival (rate, size, nesting depth, queue bounds) before anything
 * parses or keeps it, answers heartbeats, and routes pushes to its channels one after another (joins await
 * the database, so a push that follows a join always finds the channel joined). Nothing that happens on one
 * socket may throw out of its event handlers: a failure is logged and stays with this socket.
 */
export class ClientConnection implements ChannelTransport {
  private readonly channels = new Map<string, RealtimeChannel>();
  private readonly pushes: PerSecondCounter;
  private readonly joins: PerSecondCounter;
  private readonly frames: PerSecondCounter;
  private readonly receivedBytes: PerSecondCounter;
  private readonly inbound: InboundQueue;
  readonly presenceBudget: PresenceBudget;
  private closed = false;
  lastActivity = Date.now();

  constructor(
    private readonly socket: WebSocket,
    readonly version: ProtocolVersion,
    private readonly socketToken: string,
    private readonly services: RealtimeServices,
    /** Charges one join or token refresh to the client's address; false when the address is over its rate. */
    private readonly allowAddressAuthorization: () => boolean = () => true,
  ) {
    const limits = services.limits;
    this.pushes = new PerSecondCounter(limits.maxPushesPerSecond);
    this.joins = new PerSecondCounter(limits.maxJoinsPerSecond);
    this.frames = new PerSecondCounter(limits.maxFramesPerSecond);
    this.receivedBytes = new PerSecondCounter(limits.maxReceivedBytesPerSecond);
    this.presenceBudget = new PresenceBudget(limits.maxPresenceBytesPerConnection);
    this.inbound = new InboundQueue(
      limits.maxQueuedFramesPerConnection,
      limits.maxQueuedBytesPerConnection,
      (error) => this.logFailure('frame handling', error),
    );
    socket.on('message', (data: Buffer, isBinary: boolean) =>
      this.guard('frame', () => this.receive(data, isBinary)),
    );
    socket.on('close', () => this.guard('close', () => this.dispose()));
    socket.on('error', (error: Error) =>
      this.guard('socket error', () => {
        services.log(`websocket error: ${error.message}`);
        this.dispose();
      }),
    );
  }

  send(frame: string | Buffer): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.services.limits.maxBufferedBytesPerConnection) {
      this.services.log('closing a connection that stopped reading (send buffer over the limit)');
      this.socket.terminate();
      this.dispose();
      return;
    }
    this.socket.send(frame);
  }

  channelClosed(channel: RealtimeChannel): void {
    if (this.channels.get(channel.topic) === channel) this.channels.delete(channel.topic);
  }

  /** Server shutdown: tell every channel, then close the socket. */
  shutdown(): void {
    this.guard('shutdown', () => {
      for (const channel of this.channels.values()) channel.shutdown('Server requested disconnect', 'ok');
      this.close(1001, 'server shutting down');
    });
  }

  /** Closes the socket and lets go of everything it holds at once: queued frames, channels, presence. */
  close(code: number, reason: string): void {
    this.guard('close', () => {
      this.socket.close(code, reason);
      if (code === CLOSE_POLICY_VIOLATION) {
        // A client that broke a limit is not read any further: what it still sends stays in its kernel
        // buffers instead of being parsed while the close handshake waits. It gets a moment to read why.
        this.socket.pause();
        setTimeout(() => this.socket.terminate(), POLICY_CLOSE_GRACE_MS).unref();
      }
      this.dispose();
    });
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.inbound.stop();
    for (const channel of this.channels.values()) {
      try {
        channel.dispose();
      } catch (error) {
        this.logFailure('channel dispose', error);
      }
    }
    this.channels.clear();
  }

  /** Arrival: count, bound, decode (only what passed the size and depth checks), then queue. */
  private receive(data: Buffer, isBinary: boolean) {
    if (this.closed) return;
    this.lastActivity = Date.now();
    if (!this.frames.allow()) return this.close(CLOSE_POLICY_VIOLATION, CLOSE_REASONS.tooManyFrames);
    if (!this.receivedBytes.allow(data.length)) {
      return this.close(CLOSE_POLICY_VIOLATION, CLOSE_REASONS.tooManyBytes);
    }
    const frame = decodeOnArrival(data, isBinary, this.version, this.services.limits);
    if (frame.kind === 'refused') return this.refuse(frame);
    if (frame.kind === 'invalid') {
      return this.refuse({ kind: 'refused', envelope: frame.partial ?? {}, reason: frame.reason });
    }
    if (
      frame.kind === 'message' &&
      frame.message.topic === 'phoenix' &&
      frame.message.event === 'heartbeat'
    ) {
      return this.replyTo(null, frame.message.ref, 'phoenix', 'ok', {});
    }
    const message = frame.kind === 'message' ? frame.message : frame.push;
    if (!this.pushes.allow()) {
      return this.refuse({
        kind: 'refused',
        envelope: message,
        reason: 'RateLimitReached: Too many messages per second',
      });
    }
    const event = frame.kind === 'message' ? frame.message.event : null;
    if (event === 'phx_join' && !this.joins.allow()) {
      this.refuse({ kind: 'refused', envelope: message, reason: CLOSE_REASONS.tooManyJoins });
      return this.close(CLOSE_POLICY_VIOLATION, CLOSE_REASONS.tooManyJoins);
    }
    if ((event === 'phx_join' || event === 'access_token') && !this.allowAddressAuthorization()) {
      this.refuse({ kind: 'refused', envelope: message, reason: CLOSE_REASONS.tooManyFromAddress });
      return this.close(CLOSE_POLICY_VIOLATION, CLOSE_REASONS.tooManyFromAddress);
    }
    const run =
      frame.kind === 'user-broadcast'
        ? () => this.routeUserBroadcast(frame.push)
        : () => this.route(frame.message);
    if (!this.inbound.offer(data.length, run)) this.close(CLOSE_POLICY_VIOLATION, CLOSE_REASONS.queueFull);
  }

  private refuse({ envelope, reason }: Refusal): void {
    this.replyTo(envelope.joinRef ?? null, envelope.ref ?? null, envelope.topic ?? 'phoenix', 'error', {
      reason,
    });
  }

  private async route(message: PhoenixMessage): Promise<void> {
    if (message.event === 'phx_join') return this.join(message);
    const channel = this.channels.get(message.topic);
    if (message.event === 'phx_leave') return this.leave(message, channel);
    if (!channel) {
      return this.replyTo(null, message.ref, message.topic, 'error', { reason: 'unmatched topic' });
    }
    switch (message.event) {
      case 'broadcast':
        return channel.broadcastFromClient(message);
      case 'presence':
        return channel.presence(message);
      case 'access_token':
        return channel.refreshToken(message);
      default:
        // Unknown events on a joined channel are ignored, as the Realtime server does.
        return;
    }
  }

  private async routeUserBroadcast(push: UserBroadcastPush): Promise<void> {
    const channel = this.channels.get(push.topic);
    if (!channel) return this.replyTo(null, push.ref, push.topic, 'error', { reason: 'unmatched topic' });
    return channel.broadcastFromClient(push);
  }

  private async join(message: PhoenixMessage): Promise<void> {
    const previous = this.channels.get(message.topic);
    if (previous) {
      // A second join on a joined topic replaces the old channel (Phoenix duplicate-join rule).
      previous.push('phx_close', {}, previous.joinRef);
      previous.dispose();
      this.channels.delete(message.topic);
    }
    const joinRef = message.joinRef ?? message.ref;
    if (this.channels.size >= this.services.limits.maxChannelsPerConnection) {
      const reason = 'ChannelRateLimitReached: Too many channels';
      return this.replyTo(joinRef, message.ref, message.topic, 'error', { reason });
    }
    const outcome = await joinChannel(this.services, this, this.socketToken, message);
    if (!outcome.ok)
      return this.replyTo(joinRef, message.ref, message.topic, 'error', { reason: outcome.reason });
    // The socket went while the join awaited the database: the channel never becomes visible.
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return outcome.channel.dispose();
    this.channels.set(message.topic, outcome.channel);
    outcome.channel.reply(message.ref, 'ok', outcome.response);
    outcome.channel.activate(outcome.postgresStatus);
  }

  private leave(message: PhoenixMessage, channel: RealtimeChannel | undefined): void {
    this.replyTo(message.joinRef, message.ref, message.topic, 'ok', {});
    if (!channel) return;
    channel.push('phx_close', {}, channel.joinRef);
    channel.dispose();
    this.channels.delete(message.topic);
  }

  private replyTo(
    joinRef: string | null,
    ref: string | null,
    topic: string,
    status: 'ok' | 'error',
    response: unknown,
  ) {
    this.send(
      encodeTextFrame(this.version, {
        joinRef,
        ref,
        topic,
        event: 'phx_reply',
        payload: { status, response },
      }),
    );
  }

  /** Runs an event handler's work; a failure is logged and never leaves this socket. */
  private guard(what: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      this.logFailure(what, error);
    }
  }

  private logFailure(what: string, error: unknown): void {
    try {
      this.services.log(
        `realtime ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    } catch {
      // A throwing logger must not turn a logged failure into a crash.
    }
  }
}
