import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout this code runs from; the stack and the migrator read their files relative to it. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const compatSqlDir = path.join(projectRoot, 'supabase', 'compat');
export const migrationsDir = path.join(projectRoot, 'prisma-free-migrations');
export const seedSqlFile = path.join(projectRoot, 'supabase', 'seed.sql');
export const defaultDataDir = path.join(projectRoot, '.data', 'postgres');
