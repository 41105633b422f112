import { DEMO_JWT_SECRET } from '../env';
import { startRealtimeServer } from '../realtime/realtime-server';
import { setUpDatabase } from './database-setup';
import { startPostgres } from './embedded-postgres';
import { defaultDataDir } from './project-paths';

export interface StackOptions {
  dataDir?: string;
  /** Postgres port; 54322 like the Supabase CLI. */
  pgPort?: number;
  /** false for throwaway data (tests, benchmarks): no fsync. */
  durable?: boolean;
  /** Realtime server port; 54321 like the Supabase CLI (NEXT_PUBLIC_SUPABASE_URL). 0 = any free port. */
  realtimePort?: number;
  /** SUPABASE_JWT_SECRET; the Supabase CLI's demo secret by default. */
  jwtSecret?: string;
  log?: (line: string) => void;
}

export interface Stack {
  databaseUrl: string;
  pgPort: number;
  dataDir: string;
  /** http://127.0.0.1:<port> of the realtime server. */
  realtimeUrl: string;
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
    const realtime = await startRealtimeServer({
      port: options.realtimePort ?? 54321,
      databaseUrl,
      jwtSecret: options.jwtSecret ?? DEMO_JWT_SECRET,
      log: options.log,
    });
    return {
      databaseUrl,
      pgPort: postgres.port,
      dataDir: postgres.dataDir,
      realtimeUrl: realtime.url,
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
