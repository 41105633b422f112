import 'server-only';
import pg from 'pg';

/** NOTIFY channel for "stop this reply"; the payload is the message id. */
export const STOP_CHANNEL = 'chat_reply_stop';

/**
 * Listens for stop requests made on any app instance (chat.stop NOTIFYs after setting the row's flag). Needs a
 * direct or session-mode connection; where NOTIFY cannot arrive, the runner still sees the flag at its next
 * checkpoint. Reconnects by itself.
 */
export class StopSignalListener {
  private client: pg.Client | null = null;
  private closed = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly databaseUrl: string,
    private readonly onStop: (messageId: string) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => {
      if (message.channel === STOP_CHANNEL && message.payload) this.onStop(message.payload);
    });
    client.on('error', (error) => {
      this.onError(error);
      this.reconnectSoon(client);
    });
    client.on('end', () => this.reconnectSoon(client));
    await client.connect();
    await client.query(`listen ${STOP_CHANNEL}`);
    this.client = client;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.client?.end().catch(() => {});
  }

  private reconnectSoon(client: pg.Client): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    this.retryTimer = setTimeout(() => {
      this.start().catch((error) => {
        this.onError(error);
        this.client = client;
        this.reconnectSoon(client);
      });
    }, 1000);
  }
}
