import 'server-only';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { env } from '@/env';
import type { Database } from './database-types';

export type { Database } from './database-types';
export type DB = Kysely<Database>;

export function createDb(databaseUrl: string, poolSize = 10): DB {
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: poolSize }) }),
  });
}

const globalForDb = globalThis as unknown as { chattwelveDb?: DB };

/** The app's one Kysely instance (kept across Next dev reloads). */
export function db(): DB {
  globalForDb.chattwelveDb ??= createDb(env().DATABASE_URL);
  return globalForDb.chattwelveDb;
}
