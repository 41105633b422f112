// `npm run dev` from nothing (fresh data dir: initdb, migrations, realtime, next dev) to "ready", and again
// with the data dir kept (a developer's usual restart).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/stack/free-port';
import { projectRoot } from '../src/stack/project-paths';
import { reportFigure } from './bench-report';

/** Milestones the launcher prints, each with its own elapsed time since start (ms). */
const MILESTONES: [string, RegExp][] = [
  ['database migrated', /\[stack\] Postgres 17 ready .*, (\d+) ms/],
  ['realtime ready', /\[stack\] Realtime ready .*, (\d+) ms/],
  ['first page answered ("ready")', /\[stack\] ready in (\d+) ms/],
];

async function timeDevToReady(dataDir: string, label: string): Promise<number> {
  const [pgPort, realtimePort, appPort] = [await freePort(), await freePort(), await freePort()];
  const start = performance.now();
  const child = spawn(
    process.execPath,
    [path.join(projectRoot, 'node_modules/tsx/dist/cli.mjs'), 'src/stack/dev.ts'],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        EMBEDDED_DATA_DIR: dataDir,
        DATABASE_URL: `postgresql://postgres:postgres@127.0.0.1:${pgPort}/postgres`,
        NEXT_PUBLIC_SUPABASE_URL: `http://127.0.0.1:${realtimePort}`,
        PORT: String(appPort),
        APP_URL: `http://localhost:${appPort}`,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        for (const [name, pattern] of MILESTONES) {
          const match = pattern.exec(text);
          if (match) reportFigure(`npm run dev ${label}: ${name}`, Number(match[1]), 'ms');
        }
        if (text.includes('[stack] ready in')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`npm run dev exited with ${code}`)));
    });
    // Ready means serving: the first page render (compiled on demand by next dev).
    const response = await fetch(`http://localhost:${appPort}/`);
    if (!response.ok) throw new Error(`GET / answered ${response.status}`);
    return performance.now() - start;
  } finally {
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

export async function main() {
  const dataRoot = await mkdtemp(path.join(os.tmpdir(), 'chattwelve-dev-bench-'));
  try {
    const dataDir = path.join(dataRoot, 'postgres');
    reportFigure(
      'npm run dev cold start to first page (fresh data dir)',
      await timeDevToReady(dataDir, 'cold'),
      'ms',
    );
    reportFigure(
      'npm run dev start to first page (existing data dir)',
      await timeDevToReady(dataDir, 'warm'),
      'ms',
    );
  } finally {
    await rm(dataRoot, { recursive: true, force: true });
  }
}
