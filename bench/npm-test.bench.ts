// Wall time of the whole `npm test` (stack start, unit, integration, realtime, engine and e2e suites).
import { spawn } from 'node:child_process';
import { projectRoot } from '../src/stack/project-paths';
import { reportFigure } from './bench-report';

export async function main() {
  const start = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('npm', ['test', '--silent'], {
      cwd: projectRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('exit', resolve);
  });
  reportFigure('npm test wall time', (performance.now() - start) / 1000, 's', { exitCode: code });
}
