import 'server-only';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { env } from '@/env';
import type { Database } from './database-types';
import { loggableError, logger } from './observability/logger';

export type { Database } from './database-types';
export type DB = Kysely<Database>;

export function createDb(databaseUrl: string, poolSize = 10): DB {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  // An idle client losing its connection (a Postgres restart, a network blip) must not crash the process:
  // the pool drops that client and the next query opens a new connection.
  pool.on('error', (error) => logger().warn({ err: loggableError(error) }, 'idle database connection lost'));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

const globalForDb = globalThis as unknown as { chattwelveDb?: DB };

/** The app's one Kysely instance (kept across Next dev reloads). */
export function db(): DB {
  globalForDb.chattwelveDb ??= createDb(env().DATABASE_URL);
  return globalForDb.chattwelveDb;
}
