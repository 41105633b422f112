import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { setUpDatabase } from '../../src/stack/database-setup';
import { freePort } from '../../src/stack/free-port';
import { startStack } from '../../src/stack/start-stack';
import { testDeleteEventsMode } from './delete-events-mode';
import { setUpBrowserTests } from './e2e-setup';
import { applyExternalStackKeys, type ExternalStack, externalStackFromEnv } from './external-stack';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    realtimeUrl: string;
  }
}

/**
 * One stack for the whole run; test files isolate themselves by user. By default a throwaway embedded stack on
 * free ports; with TEST_DATABASE_URL and TEST_SUPABASE_URL the external one they name (see the README).
 */
export default async function setup(project: TestProject) {
  const external = externalStackFromEnv();
  if (external) return setUpExternal(project, external);
  const dataRoot = await mkdtemp(path.join(os.tmpdir(), 'chattwelve-test-'));
  const stack = await startStack({
    dataDir: path.join(dataRoot, 'postgres'),
    pgPort: await freePort(),
    realtimePort: await freePort(),
    durable: false,
    realtimeDeleteEvents: testDeleteEventsMode(),
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

/** The external stack: our migrator brings its database up to date; nothing is started or stopped. */
async function setUpExternal(project: TestProject, stack: ExternalStack) {
  const { migrationsApplied } = await setUpDatabase(stack.databaseUrl);
  console.info(
    `Testing against the external stack at ${stack.realtimeUrl} (${migrationsApplied.length} migrations applied now).`,
  );
  applyExternalStackKeys(stack);
  project.provide('databaseUrl', stack.databaseUrl);
  project.provide('realtimeUrl', stack.realtimeUrl);
  return setUpBrowserTests(project, stack);
}
