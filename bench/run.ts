// `npm run bench`: every bench/*.bench.ts in name order, each printing `BENCH {…}` lines.
// `npm run bench -- sessions` runs only the files whose name contains "sessions".
import { readdir } from 'node:fs/promises';
import path from 'node:path';

const only = process.argv.slice(2);
const dir = import.meta.dirname;
const files = (await readdir(dir))
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((word) => file.includes(word)))
  .sort();

for (const file of files) {
  console.log(`\n# ${file}`);
  const started = performance.now();
  const bench = (await import(path.join(dir, file))) as { main: () => Promise<void> };
  await bench.main();
  console.log(`# ${file} took ${Math.round((performance.now() - started) / 1000)} s`);
}
process.exit(0);
