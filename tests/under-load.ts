// `npm run test:under-load` (not in CI): the whole suite three times in a row while a bounded CPU hog keeps
// every core busy, to prove the tests wait for behaviour, not for time. Exits non-zero if any run fails.
import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

const RUNS = 3;
/** The hog stops by itself after this long even if this script is killed with SIGKILL. */
const HOG_LIMIT_MS = 60 * 60 * 1000;
const root = path.resolve(import.meta.dirname, '..');

function startHog(): ChildProcess[] {
  const spin = `const end = Date.now() + ${HOG_LIMIT_MS}; while (Date.now() < end) { Math.sqrt(Math.random()); }`;
  return Array.from({ length: os.availableParallelism() }, () =>
    spawn(process.execPath, ['-e', spin], { stdio: 'ignore' }),
  );
}

function runSuite(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'tests/vitest.config.ts'],
      { cwd: root, stdio: 'inherit' },
    );
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

const hog = startHog();
const stopHog = () => {
  for (const child of hog) child.kill('SIGKILL');
};
process.on('exit', stopHog);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

const results: { run: number; code: number; seconds: number }[] = [];
for (let run = 1; run <= RUNS; run++) {
  console.log(`\n=== under load (${hog.length} busy processes): run ${run} of ${RUNS} ===`);
  const started = performance.now();
  const code = await runSuite();
  results.push({ run, code, seconds: Math.round((performance.now() - started) / 1000) });
}
stopHog();
for (const { run, code, seconds } of results) {
  console.log(`run ${run}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds} s`);
}
process.exit(results.every((result) => result.code === 0) ? 0 : 1);
