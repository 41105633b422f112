// `npm run bench`: every bench/*.bench.ts in name order, each in its own process, each printing `BENCH {…}`
// lines. `npm run bench -- sessions` runs only the files whose name contains "sessions".
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

const only = process.argv.slice(2);
const dir = import.meta.dirname;
const tsxCli = path.join(dir, '../node_modules/tsx/dist/cli.mjs');
const files = (await readdir(dir))
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((word) => file.includes(word)))
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`\n# ${file}`);
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      process.execPath,
      [tsxCli, '--conditions=react-server', path.join(dir, 'run-one.ts'), path.join(dir, file)],
      { stdio: 'inherit' },
    );
    child.once('exit', resolve);
  });
  if (code !== 0) failed++;
  console.log(
    `# ${file} ${code === 0 ? 'took' : `FAILED (exit ${code}) after`} ${Math.round((performance.now() - started) / 1000)} s`,
  );
}
process.exit(failed === 0 ? 0 : 1);
