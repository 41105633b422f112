// `npm run dev`: the embedded stack (Postgres 17 + realtime) and `next dev` on port 3000; Ctrl-C stops all.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { childEnv, env } from '../env';
import { projectRoot } from './project-paths';
import { type Stack, startStack } from './start-stack';

const log = (line: string) => process.stdout.write(`[stack] ${line}\n`);

async function main() {
  const startedAt = performance.now();
  const config = env();
  let stack: Stack | null = null;
  if (config.EMBEDDED_STACK) {
    const pgPort = Number(new URL(config.DATABASE_URL).port || 54322);
    stack = await startStack({
      pgPort,
      realtimePort: Number(new URL(config.NEXT_PUBLIC_SUPABASE_URL).port || 54321),
      jwtSecret: config.SUPABASE_JWT_SECRET,
      ...(config.EMBEDDED_DATA_DIR ? { dataDir: config.EMBEDDED_DATA_DIR } : {}),
    });
    log(`Postgres 17 ready at ${stack.databaseUrl} (data in ${stack.dataDir})`);
    log(`Realtime ready at ${stack.realtimeUrl}`);
  } else {
    log(`EMBEDDED_STACK=false: using DATABASE_URL and NEXT_PUBLIC_SUPABASE_URL as configured`);
  }

  const next = spawn(
    process.execPath,
    [path.join(projectRoot, 'node_modules/next/dist/bin/next'), 'dev', '-p', String(config.PORT)],
    {
      cwd: projectRoot,
      stdio: ['inherit', 'pipe', 'inherit'],
      env: childEnv({ NEXT_TELEMETRY_DISABLED: '1', ...(stack ? { DATABASE_URL: stack.databaseUrl } : {}) }),
    },
  );
  next.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (chunk.toString().includes('Ready in')) {
      log(`ready in ${Math.round(performance.now() - startedAt)} ms: open ${config.APP_URL}`);
    }
  });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (next.exitCode === null) {
      next.kill('SIGTERM');
      await new Promise((resolve) => next.once('exit', resolve));
    }
    await stack?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  next.on('exit', (code) => void stop(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
