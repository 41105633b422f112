import { setUpDatabase } from './database-setup';
import { startPostgres } from './embedded-postgres';
import { defaultDataDir } from './project-paths';

export interface StackOptions {
  dataDir?: string;
  /** Postgres port; 54322 like the Supabase CLI. */
  pgPort?: number;
  /** false for throwaway data (tests, benchmarks): no fsync. */
  durable?: boolean;
  log?: (line: string) => void;
}

export interface Stack {
  databaseUrl: string;
  pgPort: number;
  dataDir: string;
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
    return {
      databaseUrl,
      pgPort: postgres.port,
      dataDir: postgres.dataDir,
      stop: () => postgres.stop(),
    };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
}
