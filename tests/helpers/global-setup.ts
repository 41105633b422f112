import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../src/stack/free-port';
import { startStack } from '../../src/stack/start-stack';
import { setUpBrowserTests } from './e2e-setup';

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
  const stopBrowserTests = await setUpBrowserTests(project, stack).catch(async (error: unknown) => {
    await stack.stop();
    throw error;
  });
  return async () => {
    await stopBrowserTests();
    await stack.stop();
    await rm(dataRoot, { recursive: true, force: true });
  };
}
