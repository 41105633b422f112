import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../src/stack/free-port';

const root = path.resolve(import.meta.dirname, '../..');
const nextBin = path.join(root, 'node_modules/next/dist/bin/next');

export interface NextApp {
  /** http://localhost:<port>: the app's origin (APP_URL), as the browser must use it. */
  url: string;
  /** The build dir it serves (relative to the project root). */
  distDir: string;
  stop(): Promise<void>;
}

export interface NextAppOptions {
  databaseUrl: string;
  realtimeUrl: string;
  /** OpenAI-compatible base URL of the fake provider. */
  aiBaseUrl?: string;
  /** `dev` (compiles on demand, no type check) or `start` (a production build, built first). */
  mode?: 'dev' | 'start';
  /** Separate from the developer's `.next`, so a running `npm run dev` does not collide. */
  distDir?: string;
  /** The port to serve on (chosen by the caller to know the URL before the app is up); else a free one. */
  port?: number;
  extraEnv?: Record<string, string>;
  /** `mode: start` only: more environment for `next build` than the NEXT_PUBLIC_* values it bakes in. */
  buildEnv?: Record<string, string>;
  log?: (line: string) => void;
}

function run(args: string[], env: NodeJS.ProcessEnv, log: (line: string) => void): ChildProcess {
  const child = spawn(process.execPath, [nextBin, ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
  child.stderr?.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
  return child;
}

async function waitForExit(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return child.exitCode;
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

async function waitUntilServing(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next exited with code ${child.exitCode} before serving`);
    try {
      const response = await fetch(`${url}/sign-in`, { redirect: 'manual' });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`next did not serve ${url} within ${timeoutMs} ms`);
}

/** Builds the production bundle into `distDir` (used by the bundle scan, the benchmarks and `mode: start`). */
export async function buildNextApp(
  distDir: string,
  log: (line: string) => void = () => {},
  extraEnv: Record<string, string> = {},
): Promise<void> {
  const env = {
    ...process.env,
    NEXT_DIST_DIR: distDir,
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_IGNORE_TYPE_ERRORS: '1',
    ...extraEnv,
  };
  const child = run(['build'], env, log);
  const code = await waitForExit(child);
  if (code !== 0) throw new Error(`next build failed with code ${code}`);
}

/**
 * Build dirs for `next dev`: one dev server holds a lock on its dir, so two test runs in one working tree
 * (two people, or a person and CI) each take a free slot. A fixed few, because Next adds each dir it uses to
 * tsconfig.json's include list.
 */
const devDistDirs = ['.next/e2e-dev', '.next/e2e-dev-2', '.next/e2e-dev-3'];

/** Where `mode: start` builds, unless told otherwise. */
export const E2E_PRODUCTION_DIST_DIR = '.next/e2e-start';

/** A real Next server for the browser tests, pointed at the test stack, on a free port. */
export async function startNextApp(options: NextAppOptions): Promise<NextApp> {
  const mode = options.mode ?? 'dev';
  const candidates = options.distDir
    ? [options.distDir]
    : mode === 'dev'
      ? devDistDirs
      : [E2E_PRODUCTION_DIST_DIR];
  const log = options.log ?? (() => {});
  const port = options.port ?? (await freePort());
  const url = `http://localhost:${port}`;
  for (const [index, distDir] of candidates.entries()) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: mode === 'dev' ? 'development' : 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      NEXT_DIST_DIR: distDir,
      EMBEDDED_STACK: 'false',
      APP_URL: url,
      DATABASE_URL: options.databaseUrl,
      NEXT_PUBLIC_SUPABASE_URL: options.realtimeUrl,
      ...(options.aiBaseUrl ? { AI_BASE_URL: options.aiBaseUrl, AI_API_KEY: 'test-key' } : {}),
      ...options.extraEnv,
    };
    // next.config.ts reads the realtime origin for the CSP at build time, and NEXT_PUBLIC_* values are baked
    // into the browser bundle: build with this app's.
    if (mode === 'start') {
      const baked = Object.entries(env).filter(([key]) => key.startsWith('NEXT_PUBLIC_'));
      await buildNextApp(distDir, log, {
        ...options.buildEnv,
        ...(Object.fromEntries(baked) as Record<string, string>),
      });
    }
    let dirTaken = false;
    // Loopback only, like `npm run dev`: nothing on the network reaches a test server (or its dev mailbox).
    const child = run([mode, '-p', String(port), '-H', '127.0.0.1'], env, (line) => {
      if (line.includes('Another next dev server is already running')) dirTaken = true;
      log(line);
    });
    try {
      await waitUntilServing(url, child, 180_000);
    } catch (error) {
      if (dirTaken && index < candidates.length - 1) continue;
      throw error;
    }
    return {
      url,
      distDir,
      async stop() {
        if (child.exitCode !== null) return;
        child.kill('SIGTERM');
        const exited = waitForExit(child);
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      },
    };
  }
  throw new Error(`every Next build dir is in use by another test run: ${candidates.join(', ')}`);
}
