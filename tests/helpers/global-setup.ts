import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../src/stack/free-port';
import { startStack } from '../../src/stack/start-stack';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    realtimeUrl: string;
  }
}

/** One throwaway stack for the whole run, on free ports; test files isolate themselves by user. */
export default async function setup(project: TestProject) {
  const dataRoot = await mkdtemp(path.join(os.tmpdir(), 'chattwelve-test-'));
  const stack = await startStack({
    dataDir: path.join(dataRoot, 'postgres'),
    pgPort: await freePort(),
    realtimePort: await freePort(),
    durable: false,
  });
  project.provide('databaseUrl', stack.databaseUrl);
  project.provide('realtimeUrl', stack.realtimeUrl);
  return async () => {
    await stack.stop();
    await rm(dataRoot, { recursive: true, force: true });
  };
}
