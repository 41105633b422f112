// `npm run db:restore -- <file>`: replaces the embedded data dir with a backup (the app must be stopped).
import { env } from '../env';
import { restoreDatabase } from './database-backup';
import { loadDotEnvFiles } from './dotenv-files';
import { startPostgres } from './embedded-postgres';
import { freePort } from './free-port';
import { defaultDataDir } from './project-paths';

const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: npm run db:restore -- <file.tar.gz>');
  process.exit(2);
}
loadDotEnvFiles(false);
const config = env();
if (!config.EMBEDDED_STACK) {
  console.error('db:restore restores the embedded stack; with hosted Supabase use its own backups.');
  process.exit(2);
}
const startedAt = performance.now();
const { dataDir, previous } = await restoreDatabase(file, config.EMBEDDED_DATA_DIR ?? defaultDataDir);
// One start replays the backup's WAL; a backup that does not come up is reported now, not at the next launch.
const postgres = await startPostgres({ dataDir, port: await freePort() });
await postgres.stop();
console.log(`Restored ${file} into ${dataDir} in ${Math.round(performance.now() - startedAt)} ms.`);
if (previous) console.log(`The data dir it replaced is kept at ${previous} (delete it when satisfied).`);
