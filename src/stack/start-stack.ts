import { DEMO_JWT_SECRET } from '../env';
import { type RealtimeLimits, startRealtimeServer } from '../realtime';
import { setUpDatabase } from './database-setup';
import { startPostgres } from './embedded-postgres';
import { defaultDataDir } from './project-paths';
import { superviseRealtime } from './realtime-supervisor';

export interface StackOptions {
  dataDir?: string;
  /** Postgres port; 54322 like the Supabase CLI. */
  pgPort?: number;
  /** false for throwaway data (tests, benchmarks): no fsync. */
  durable?: boolean;
  /** Realtime server port; 54321 like the Supabase CLI (NEXT_PUBLIC_SUPABASE_URL). 0 = any free port. */
  realtimePort?: number;
  /** Interface realtime listens on; 127.0.0.1 unless told (HOST). */
  realtimeHost?: string;
  /** Overrides of realtime's limits (benchmarks open hundreds of sockets from one address). */
  realtimeLimits?: Partial<RealtimeLimits>;
  /** TRUSTED_PROXIES: reverse proxies whose X-Forwarded-For realtime's per-address limits believe. */
  realtimeTrustedProxies?: readonly string[];
  /**
   * REALTIME_DELETE_EVENTS: `supabase` sends DELETEs of RLS tables to every subscriber, key only, as hosted
   * Supabase does. Default `strict`.
   */
  realtimeDeleteEvents?: 'strict' | 'supabase';
  /** SUPABASE_JWT_SECRET; the Supabase CLI's demo secret by default. */
  jwtSecret?: string;
  /**
   * true for the launchers (`npm run dev`, `npm start`): realtime runs as its own child process, restarted
   * when it dies, so nothing in it can take Postgres down. false (tests, benchmarks): in this process, which
   * starts faster.
   */
  supervisedRealtime?: boolean;
  /** Called once Postgres serves the migrated schema, before realtime starts: what needs only the database
   * (Next, in the launchers) can start in parallel with realtime. */
  onDatabaseReady?: (databaseUrl: string) => void;
  log?: (line: string) => void;
}

export interface Stack {
  databaseUrl: string;
  pgPort: number;
  dataDir: string;
  /** http://127.0.0.1:<port> of the realtime server. */
  realtimeUrl: string;
  /** The postmaster's pid. */
  postgresPid: number;
  /** The realtime child's pid when supervised (undefined while it restarts), else this process's. */
  realtimePid(): number | undefined;
  stop(): Promise<void>;
}

/** The embedded local stack: PostgreSQL 17 with Supabase's objects and our migrations applied. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const postgres = await startPostgres({
    dataDir: options.dataDir ?? defaultDataDir,
    port: options.pgPort ?? 54322,
    durable: options.durable,
    log: options.log,
  });
  try {
    const databaseUrl = postgres.url();
    await setUpDatabase(databaseUrl);
    options.onDatabaseReady?.(databaseUrl);
    const realtimeOptions = {
      port: options.realtimePort ?? 54321,
      host: options.realtimeHost,
      databaseUrl,
      jwtSecret: options.jwtSecret ?? DEMO_JWT_SECRET,
      limits: options.realtimeLimits,
      trustedProxies: options.realtimeTrustedProxies,
      deleteEvents: options.realtimeDeleteEvents ?? 'strict',
      log: options.log,
    };
    const realtime = options.supervisedRealtime
      ? await superviseRealtime(realtimeOptions)
      : { ...(await startRealtimeServer(realtimeOptions)), pid: () => process.pid };
    return {
      databaseUrl,
      pgPort: postgres.port,
      dataDir: postgres.dataDir,
      realtimeUrl: realtime.url,
      postgresPid: postgres.pid,
      realtimePid: realtime.pid,
      async stop() {
        // Realtime first: it holds a replication connection Postgres would wait for.
        await realtime.stop();
        await postgres.stop();
      },
    };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
}
