import pg from 'pg';
import type { Env } from '../env';
import { startPostgres } from './embedded-postgres';
import { freePort } from './free-port';
import { defaultDataDir } from './project-paths';

async function reachable(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Runs `work` against the app's database: the running one at DATABASE_URL, or, when the embedded stack is
 * not running, its Postgres started on EMBEDDED_DATA_DIR for the time of the work (on a free port).
 */
export async function withAppDatabase<T>(config: Env, work: (databaseUrl: string) => Promise<T>): Promise<T> {
  if ((await reachable(config.DATABASE_URL)) || !config.EMBEDDED_STACK) return work(config.DATABASE_URL);
  const postgres = await startPostgres({
    dataDir: config.EMBEDDED_DATA_DIR ?? defaultDataDir,
    port: await freePort(),
  });
  try {
    return await work(postgres.url());
  } finally {
    await postgres.stop();
  }
}
