import type WebSocket from 'ws';
import { joinChannel } from '../channels/channel-join';
import type { ChannelTransport, RealtimeChannel } from '../channels/realtime-channel';
import type { RealtimeServices } from '../channels/realtime-services';
import {
  type DecodedFrame,
  decodeBinaryFrame,
  decodeTextFrame,
  encodeTextFrame,
  type PhoenixMessage,
  type ProtocolVersion,
  type UserBroadcastPush,
} from './phoenix-frame';
import { PushRateLimiter } from './push-rate-limiter';

/**
 * One websocket: decodes frames, answers heartbeats, routes pushes to its channels. Frames are handled one
 * after another (joins await the database), so a push that follows a join always finds the channel joined.
 */
export class ClientConnection implements ChannelTransport {
  private readonly channels = new Map<string, RealtimeChannel>();
  private readonly rateLimiter: PushRateLimiter;
  private queue: Promise<void> = Promise.resolve();
  lastActivity = Date.now();

  constructor(
    private readonly socket: WebSocket,
    readonly version: ProtocolVersion,
    private readonly socketToken: string,
    private readonly services: RealtimeServices,
  ) {
    this.rateLimiter = new PushRateLimiter(services.limits.maxPushesPerSecond);
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      this.lastActivity = Date.now();
      const frame = isBinary ? this.decodeBinary(data) : decodeTextFrame(data.toString('utf8'), version);
      this.queue = this.queue
        .then(() => this.handle(frame, data.length))
        .catch((error: Error) => services.log(`frame handling failed: ${error.stack ?? error.message}`));
    });
    socket.on('close', () => this.dispose());
    socket.on('error', () => this.dispose());
  }

  send(frame: string | Buffer): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.services.limits.maxBufferedBytesPerConnection) {
      this.services.log('closing a connection that stopped reading (send buffer over the limit)');
      this.socket.terminate();
      return;
    }
    this.socket.send(frame);
  }

  channelClosed(channel: RealtimeChannel): void {
    if (this.channels.get(channel.topic) === channel) this.channels.delete(channel.topic);
  }

  /** Server shutdown: tell every channel, then close the socket. */
  shutdown(): void {
    for (const channel of this.channels.values()) channel.shutdown('Server requested disconnect', 'ok');
    this.socket.close(1001, 'server shutting down');
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  private dispose(): void {
    for (const channel of this.channels.values()) channel.dispose();
    this.channels.clear();
  }

  private decodeBinary(data: Buffer): DecodedFrame {
    if (this.version !== '2.0.0') return { kind: 'invalid', reason: 'binary frames need vsn 2.0.0' };
    return decodeBinaryFrame(data);
  }

  private async handle(frame: DecodedFrame, size: number): Promise<void> {
    if (frame.kind === 'invalid') {
      return this.replyTo(null, frame.partial?.ref ?? null, frame.partial?.topic ?? 'phoenix', 'error', {
        reason: frame.reason,
      });
    }
    const message = frame.kind === 'message' ? frame.message : frame.push;
    if (
      frame.kind === 'message' &&
      message.topic === 'phoenix' &&
      (message as PhoenixMessage).event === 'heartbeat'
    ) {
      return this.replyTo(null, message.ref, 'phoenix', 'ok', {});
    }
    if (size > this.services.limits.maxPayloadBytes) {
      const reason = `PayloadTooLarge: payload exceeds ${this.services.limits.maxPayloadBytes} bytes`;
      return this.replyTo(message.joinRef, message.ref, message.topic, 'error', { reason });
    }
    if (!this.rateLimiter.allow()) {
      const reason = 'RateLimitReached: Too many messages per second';
      return this.replyTo(message.joinRef, message.ref, message.topic, 'error', { reason });
    }
    if (frame.kind === 'user-broadcast') return this.routeUserBroadcast(frame.push);
    return this.route(frame.message);
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
    if (this.socket.readyState !== this.socket.OPEN) return outcome.channel.dispose();
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
}
