// A throwaway embedded stack for one benchmark: free ports, no fsync, its data dir removed on stop.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RealtimeLimits } from '../src/realtime';
import { freePort } from '../src/stack/free-port';
import { type Stack, startStack } from '../src/stack/start-stack';

export async function startBenchStack(realtimeLimits?: Partial<RealtimeLimits>): Promise<Stack> {
  const dataRoot = await mkdtemp(path.join(os.tmpdir(), 'chattwelve-bench-'));
  const stack = await startStack({
    dataDir: path.join(dataRoot, 'postgres'),
    pgPort: await freePort(),
    realtimePort: 0,
    durable: false,
    realtimeLimits,
  });
  return {
    ...stack,
    async stop() {
      await stack.stop();
      await rm(dataRoot, { recursive: true, force: true });
    },
  };
}
