import { spawn } from 'node:child_process';
import path from 'node:path';

const tsxCli = path.join(import.meta.dirname, '../node_modules/tsx/dist/cli.mjs');

/**
 * Runs `measure` in a process of its own. The app reads its environment once and keeps one database pool per
 * process, while `npm run bench` imports every bench file into one process: a bench that starts its own
 * stack would otherwise talk to the previous bench's stopped database.
 */
export async function inOwnProcess(file: string, measure: () => Promise<void>): Promise<void> {
  if (process.env.CHATTWELVE_BENCH_FILE === file) return measure();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli, '--conditions=react-server', file], {
      stdio: 'inherit',
      env: { ...process.env, CHATTWELVE_BENCH_FILE: file },
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(file)} exited with code ${code}`)),
    );
  });
}

/** True in the child that `inOwnProcess` started for `file`: that file then runs its bench at once. */
export function isOwnProcessOf(file: string): boolean {
  return process.env.CHATTWELVE_BENCH_FILE === file;
}
