import { RawSocket } from './raw-socket';
import { ANON_KEY } from './realtime-fixture';

/**
 * An ordinary client that shares a server (and a room) with an attacker: joined with presence on, it keeps
 * its socket alive with a heartbeat every `keepAliveMs` and records every heartbeat's round trip, so a test
 * can say what the attack cost it.
 */
export class Bystander {
  readonly heartbeatSamples: number[] = [];
  private sequence = 0;
  private readonly keepAlive: NodeJS.Timeout;

  private constructor(
    readonly socket: RawSocket,
    readonly topic: string,
    keepAliveMs: number,
  ) {
    this.keepAlive = setInterval(() => void this.heartbeatMs().catch(() => {}), keepAliveMs);
  }

  static async join(url: string, topic: string, keepAliveMs = 500): Promise<Bystander> {
    const socket = await RawSocket.open(url, ANON_KEY);
    socket.send(
      JSON.stringify([
        'b',
        'b',
        `realtime:${topic}`,
        'phx_join',
        { config: { presence: { enabled: true } } },
      ]),
    );
    const reply = await socket.reply('b');
    if (reply[4].status !== 'ok') throw new Error(`bystander join refused: ${JSON.stringify(reply[4])}`);
    return new Bystander(socket, topic, keepAliveMs);
  }

  /** One heartbeat round trip in milliseconds (also recorded). */
  async heartbeatMs(): Promise<number> {
    const ms = await this.socket.heartbeatMs(`hb${++this.sequence}`);
    this.heartbeatSamples.push(ms);
    return ms;
  }

  /** The next presence_diff whose joins or leaves satisfy `matches`. */
  presenceDiff(matches: (diff: { joins: object; leaves: object }) => boolean): Promise<unknown> {
    return this.socket.next(
      (frame) =>
        Array.isArray(frame) &&
        frame[3] === 'presence_diff' &&
        matches(frame[4] as { joins: object; leaves: object }),
    );
  }

  /** Every frame this bystander received on its topic with `event`. */
  received(event: string): number {
    return this.socket.count((frame) => Array.isArray(frame) && frame[3] === event);
  }

  close(): void {
    clearInterval(this.keepAlive);
    this.socket.close();
  }
}
