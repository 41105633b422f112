// `npm run db:backup -- <file>`: an online backup of the app's database (embedded stack running or not).
import { env } from '../env';
import { backupDatabase } from './database-backup';
import { loadDotEnvFiles } from './dotenv-files';
import { withAppDatabase } from './embedded-database-session';

const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: npm run db:backup -- <file.tar.gz>');
  process.exit(2);
}
loadDotEnvFiles(false);
const config = env();
if (!config.EMBEDDED_STACK) {
  console.error('db:backup backs up the embedded stack; with hosted Supabase use its backups (or pg_dump).');
  process.exit(2);
}
const startedAt = performance.now();
const result = await withAppDatabase(config, (databaseUrl) => backupDatabase(databaseUrl, file));
console.log(
  `Backed up to ${result.file} (${(result.bytes / 1024 / 1024).toFixed(1)} MiB, ${result.walSegments} WAL segment(s)) in ${Math.round(performance.now() - startedAt)} ms.`,
);
console.log('Restore with `npm run db:restore -- <file>` while the app is stopped.');
