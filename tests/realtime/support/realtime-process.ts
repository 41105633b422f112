import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { DEMO_JWT_SECRET } from '@/env';
import type { RealtimeLimits } from '@/realtime';

export interface RealtimeProcess {
  url: string;
  pid: number;
  /** Resolves when the process has exited (a crash included); `exitCode` tells how. */
  readonly exited: Promise<void>;
  exitCode: number | null;
  /** process.memoryUsage() of the server process after two full garbage collections. */
  memory(): Promise<NodeJS.MemoryUsage>;
  /** Waits for `promise`, failing at once if the server process dies meanwhile. */
  unlessDead<T>(promise: Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

const MAIN = path.join(import.meta.dirname, 'realtime-process-main.ts');

/** Starts `startRealtimeServer` in a child process against the test database. */
export async function startRealtimeProcess(
  databaseUrl: string,
  limits: Partial<RealtimeLimits> = {},
  extra: Record<string, unknown> = {},
): Promise<RealtimeProcess> {
  const options = JSON.stringify({ databaseUrl, jwtSecret: DEMO_JWT_SECRET, limits, ...extra });
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', MAIN, options], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let exitCode: number | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? 128 : null);
      resolve();
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (message: { type: string; url?: string }) => {
      if (message.type === 'ready') resolve(message.url as string);
    });
    void exited.then(() => reject(new Error(`realtime process exited (${exitCode}) before it was ready`)));
  });
  let nextId = 1;
  const unlessDead = <T>(promise: Promise<T>): Promise<T> =>
    Promise.race([
      promise,
      exited.then(() => {
        throw new Error(`the realtime process died (exit code ${exitCode})`);
      }),
    ]);
  return {
    unlessDead,
    url,
    pid: child.pid as number,
    exited,
    get exitCode() {
      return exitCode;
    },
    memory() {
      const id = nextId++;
      if (exitCode !== null || !child.connected) return unlessDead(new Promise<never>(() => {}));
      return new Promise<NodeJS.MemoryUsage>((resolve, reject) => {
        const onMessage = (message: { type: string; id: number; usage: NodeJS.MemoryUsage }) => {
          if (message.type !== 'memory' || message.id !== id) return;
          child.off('message', onMessage);
          resolve(message.usage);
        };
        child.on('message', onMessage);
        child.send({ type: 'memory', id }, (error) => error && reject(error));
        void exited.then(() => reject(new Error(`the realtime process died (exit code ${exitCode})`)));
      });
    },
    async stop() {
      if (exitCode === null && child.connected) child.disconnect();
      await exited;
    },
  };
}
