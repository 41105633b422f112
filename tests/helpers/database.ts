import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import type { Database } from '@/server/database-types';

/** A privileged connection (like the server's own) for arranging and inspecting rows. */
export function adminDb(): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: inject('databaseUrl'), max: 4 }) }),
  });
}

/** Runs `fn` on one connection as an API role with the given JWT claims, in a transaction rolled back after. */
export async function asRole<T>(
  role: 'anon' | 'authenticated',
  claims: Record<string, unknown>,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(`set local role ${role}`);
    await client.query(`select set_config('request.jwt.claims', $1, true)`, [
      JSON.stringify({ role, ...claims }),
    ]);
    return await fn(client);
  } finally {
    await client.query('rollback').catch(() => {});
    client.release();
    await pool.end();
  }
}
