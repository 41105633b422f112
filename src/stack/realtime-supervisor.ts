import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from './project-paths';
import type { RealtimeChildMessage, RealtimeChildOptions } from './realtime-child-messages';

const childEntry = path.join(projectRoot, 'src/stack/realtime-child.ts');
/** Restarts follow at once, then slow down to this while realtime keeps dying right after it starts (its own
 * start-up takes ~1 s more: a restart still lands within 2 s). */
const MAX_RESTART_DELAY_MS = 600;
const FIRST_RESTART_DELAY_MS = 100;
/** A child that served this long resets the back-off: its death is not part of a crash loop. */
const STABLE_AFTER_MS = 30_000;
const STDERR_TAIL_LINES = 12;

export interface SupervisedRealtimeOptions extends RealtimeChildOptions {
  log?: (line: string) => void;
}

export interface SupervisedRealtime {
  /** http://<host>:<port>; stays the same across restarts (the port is pinned after the first start). */
  url: string;
  port: number;
  /** The current child's pid, undefined between a death and its restart. */
  pid(): number | undefined;
  /** Resolves with the pid of the next child that reports ready. */
  nextReady(): Promise<number>;
  stop(): Promise<void>;
}

interface RunningChild {
  process: ChildProcess;
  ready: Promise<{ url: string; port: number }>;
  stderrTail: string[];
}

function forkChild(options: RealtimeChildOptions, log: (line: string) => void): RunningChild {
  const child = fork(childEntry, [], {
    cwd: projectRoot,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Its own process group: a Ctrl-C in the terminal reaches the launcher, which stops realtime in order,
    // instead of killing it under the supervisor's feet.
    detached: true,
  });
  const stderrTail: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().trimEnd().split('\n')) log(line);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderrTail.push(...chunk.toString().trimEnd().split('\n'));
    stderrTail.splice(0, Math.max(0, stderrTail.length - STDERR_TAIL_LINES));
  });
  const ready = new Promise<{ url: string; port: number }>((resolve, reject) => {
    child.on('message', (message: RealtimeChildMessage) => {
      if (message.type === 'ready') resolve(message);
      else reject(new Error(`realtime failed to start: ${message.reason}`));
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`realtime exited (${signal ?? `code ${code}`}) before it was ready`)),
    );
  });
  ready.catch(() => {});
  child.send(options);
  return { process: child, ready, stderrTail };
}

function describeExit(code: number | null, signal: NodeJS.Signals | null, stderrTail: string[]): string {
  const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
  const why = stderrTail.filter((line) => line.trim()).slice(-STDERR_TAIL_LINES);
  return why.length ? `${how}:\n${why.join('\n')}` : how;
}

/**
 * Runs the realtime server as a child process and restarts it within 2 s whenever it dies, while Postgres
 * and Next keep running; supabase-js clients reconnect on their own. The first start must succeed.
 */
export async function superviseRealtime(options: SupervisedRealtimeOptions): Promise<SupervisedRealtime> {
  const log = options.log ?? (() => {});
  const { log: _log, ...childOptions } = options;
  let current = forkChild(childOptions, log);
  const first = await current.ready.catch(async (error: unknown) => {
    current.process.kill('SIGKILL');
    throw error;
  });
  // Restarts must come back where the clients look for realtime.
  childOptions.port = first.port;

  let stopping = false;
  let restartDelay = FIRST_RESTART_DELAY_MS;
  let restartTimer: NodeJS.Timeout | undefined;
  let startedAt = Date.now();
  let readyWaiters: ((pid: number) => void)[] = [];

  const watch = (running: RunningChild) => {
    running.ready.then(
      () => {
        startedAt = Date.now();
        const pid = running.process.pid ?? -1;
        for (const resolve of readyWaiters) resolve(pid);
        readyWaiters = [];
      },
      () => {},
    );
    running.process.once('exit', (code, signal) => {
      if (stopping) return;
      if (Date.now() - startedAt > STABLE_AFTER_MS) restartDelay = FIRST_RESTART_DELAY_MS;
      log(`realtime ${describeExit(code, signal, running.stderrTail)}`);
      log(`restarting realtime in ${restartDelay} ms (Postgres and the app keep running)`);
      restartTimer = setTimeout(() => {
        current = forkChild(childOptions, log);
        watch(current);
      }, restartDelay);
      restartDelay = Math.min(restartDelay * 2, MAX_RESTART_DELAY_MS);
    });
  };
  watch(current);

  return {
    url: first.url,
    port: first.port,
    pid: () =>
      current.process.exitCode === null && !current.process.signalCode ? current.process.pid : undefined,
    nextReady: () => new Promise((resolve) => readyWaiters.push(resolve)),
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      const child = current.process;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
