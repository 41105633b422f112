import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import pg from 'pg';
import { WebSocketServer } from 'ws';
import { type DeleteEventsMode, PostgresChanges } from './cdc/postgres-changes';
import { SubscriptionError } from './cdc/postgres-subscription';
import type { RealtimeServices } from './channels/realtime-services';
import { RoomRegistry } from './channels/room-registry';
import { storedBroadcastsSince } from './database-broadcast/broadcast-replay';
import { deliverStoredBroadcasts } from './database-broadcast/database-broadcasts';
import {
  isMessagesRelation,
  MESSAGES_PUBLICATION,
  maintainMessagesTable,
} from './database-broadcast/messages-table';
import { RoleDirectory } from './database-identity';
import { handleBroadcastApi } from './http/broadcast-api';
import { JwtVerifier } from './jwt-verifier';
import { type RealtimeLimits, resolveLimits } from './realtime-limits';
import { AddressBudget } from './socket/address-budget';
import { ClientAddressResolver } from './socket/client-address';
import { ClientConnection } from './socket/client-connection';
import { parseProtocolVersion } from './socket/phoenix-frame';
import { TopicAuthorization } from './topic-authorization';

export interface RealtimeServerOptions {
  port: number;
  host?: string;
  databaseUrl: string;
  /** The project's JWT secret (SUPABASE_JWT_SECRET): verifies apikeys and user tokens. */
  jwtSecret: string;
  log?: (line: string) => void;
  limits?: Partial<RealtimeLimits>;
  /**
   * Reverse proxies in front of this server (IPs or CIDR ranges): behind them a client's address for the
   * per-address limits is taken from X-Forwarded-For (socket/client-address.ts); from anyone else it is ignored.
   */
  trustedProxies?: readonly string[];
  /**
   * DELETE events of RLS tables: `strict` (default) judges a whole old row (REPLICA IDENTITY FULL) against the
   * table's SELECT policies; `supabase` sends every DELETE's primary key to every subscriber, as hosted Supabase.
   */
  deleteEvents?: DeleteEventsMode;
}

export interface RealtimeServer {
  port: number;
  /** `http://<host>:<port>`, the NEXT_PUBLIC_SUPABASE_URL supabase-js is given. */
  url: string;
  stop(): Promise<void>;
}

const WEBSOCKET_PATHS = new Set(['/realtime/v1/websocket', '/socket/websocket']);
const PARTITION_UPKEEP_MS = 60 * 60_000;

/**
 * A Supabase Realtime compatible server for the local stack: the unmodified supabase-js connects to it as to
 * hosted Supabase (REALTIME-PROTOCOL.md). Paths are served with and without Kong's `/realtime/v1` prefix.
 */
export async function startRealtimeServer(options: RealtimeServerOptions): Promise<RealtimeServer> {
  const log = options.log ?? (() => {});
  const limits = resolveLimits(options.limits);
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 8 });
  pool.on('error', (error) => log(`realtime database pool: ${error.message}`));
  const roles = new RoleDirectory(pool);
  const verifier = new JwtVerifier(options.jwtSecret);
  const rooms = new RoomRegistry(log);
  const authorization = new TopicAuthorization(pool, roles, log);
  const postgresChanges = new PostgresChanges({
    databaseUrl: options.databaseUrl,
    pool,
    roles,
    log,
    deleteEvents: options.deleteEvents,
    // Broadcast from Database: realtime.messages rows come through the same slot as postgres_changes.
    otherPublications: [MESSAGES_PUBLICATION],
    isOtherRelation: isMessagesRelation,
    onOtherInserts: (changes) =>
      deliverStoredBroadcasts(
        changes.map((change) => change.newRow ?? {}),
        rooms,
        limits.maxPayloadBytes,
        log,
      ),
  });
  try {
    await maintainMessagesTable(pool, log);
    await postgresChanges.start();
  } catch (error) {
    await pool.end();
    throw error;
  }
  // Day partitions keep coming and going while the server runs (Supabase's janitor).
  const partitionUpkeep = setInterval(
    () =>
      void maintainMessagesTable(pool, log).catch((error: Error) =>
        log(`partition upkeep: ${error.message}`),
      ),
    PARTITION_UPKEEP_MS,
  );
  partitionUpkeep.unref();

  const services: RealtimeServices = {
    verifier,
    rooms,
    authorization,
    limits,
    postgresChanges,
    log,
    replicationReady: () => postgresChanges.streaming,
    storedBroadcastsSince: (topic, request) =>
      storedBroadcastsSince(pool, topic, request, limits.maxPayloadBytes),
    async subscribePostgresChanges(channel, bindings) {
      try {
        await postgresChanges.subscribe(channel, channel.identity, bindings);
        return ['ok', 'Subscribed to PostgreSQL'];
      } catch (error) {
        if (error instanceof SubscriptionError) return ['error', error.message];
        log(`postgres_changes subscription failed: ${(error as Error).stack}`);
        return ['error', 'Unable to subscribe to changes: internal error'];
      }
    },
  };

  const connections = new Set<ClientConnection>();
  const addresses = new AddressBudget(limits.maxConnectionsPerIp, limits.maxAuthorizationsPerSecondPerIp);
  const clientAddress = new ClientAddressResolver(options.trustedProxies);
  // Larger frames are refused by ws while they arrive (close 1009), before they are buffered whole.
  const webSockets = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes });
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/^\/realtime\/v1(?=\/)/, '');
    handleBroadcastApi(
      { verifier, authorization, rooms, limits, log },
      request,
      response,
      path,
      url.searchParams,
    )
      .then((handled) => {
        if (!handled) {
          response.writeHead(404, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ message: 'Not found' }));
        }
      })
      .catch((error: Error) => {
        log(`REST ${request.method} ${url.pathname} failed: ${error.stack}`);
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: 'Internal server error' }));
      });
  });
  server.keepAliveTimeout = 65_000;
  // A client that dribbles its headers or body (slowloris) holds a socket only this long.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Counted from the first byte, so a burst of upgrades cannot pass the check while tokens are verified.
    const address = clientAddress.resolve(request);
    if (!addresses.connect(address)) {
      return refuseUpgrade(socket, 429, 'Too many connections from this address');
    }
    let counted = true;
    const release = () => {
      if (counted) addresses.disconnect(address);
      counted = false;
    };
    socket.once('close', release);
    upgrade(request, socket, head).catch((error: Error) => {
      log(`websocket upgrade failed: ${error.stack ?? error.message}`);
      refuseUpgrade(socket, 500, 'Error connecting to Realtime');
    });
  });

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!WEBSOCKET_PATHS.has(url.pathname)) return refuseUpgrade(socket, 404, 'Not found');
    if (connections.size >= limits.maxConnections) return refuseUpgrade(socket, 429, 'Too many connections');
    const headerKey = request.headers['x-api-key'];
    const token = (typeof headerKey === 'string' ? headerKey : null) ?? url.searchParams.get('apikey');
    if (!token) return refuseUpgrade(socket, 401, 'API key is missing');
    const verification = await verifier.verify(token);
    if (!verification.ok) return refuseUpgrade(socket, 401, verification.message);
    if (socket.destroyed) return;
    webSockets.handleUpgrade(request, socket, head, (webSocket) => {
      try {
        const address = clientAddress.resolve(request);
        const connection = new ClientConnection(
          webSocket,
          parseProtocolVersion(url.searchParams.get('vsn')),
          token,
          services,
          () => addresses.allowAuthorization(address),
        );
        connections.add(connection);
        webSocket.on('close', () => connections.delete(connection));
      } catch (error) {
        log(`websocket setup failed: ${(error as Error).stack}`);
        webSocket.terminate();
      }
    });
  }

  // Phoenix closes transports that go silent; a healthy client heartbeats every 25 s.
  const idleSweep = setInterval(
    () => {
      const cutoff = Date.now() - limits.idleTimeoutMs;
      for (const connection of connections)
        if (connection.lastActivity < cutoff) connection.close(1000, 'idle timeout');
    },
    Math.min(10_000, limits.idleTimeoutMs),
  );
  idleSweep.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  log(`realtime server listening on http://${host}:${port}`);

  let stopping: Promise<void> | null = null;
  return {
    port,
    url: `http://${host}:${port}`,
    stop() {
      stopping ??= (async () => {
        clearInterval(idleSweep);
        clearInterval(partitionUpkeep);
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const connection of connections) connection.shutdown();
        webSockets.close();
        server.closeAllConnections();
        await postgresChanges.stop();
        await pool.end();
        await closed;
      })();
      return stopping;
    },
  };
}

function refuseUpgrade(socket: Duplex, status: number, error: string): void {
  if (socket.destroyed || !socket.writable) return;
  const body = JSON.stringify({ error });
  const reason =
    { 401: 'Unauthorized', 404: 'Not Found', 429: 'Too Many Requests' }[status] ?? 'Internal Server Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
