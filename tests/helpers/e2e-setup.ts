import type { TestProject } from 'vitest/node';
import { type RealtimeServer, startRealtimeServer } from '../../src/realtime/realtime-server';
import { generateSecrets } from '../../src/stack/generated-secrets';
import { findChromium } from './chromium';
import { serveFakeLlmControl } from './fake-llm-control';
import { startFakeLlmProvider } from './fake-llm-provider';
import { type NextApp, startNextApp } from './next-app';

/** The models the e2e app offers (AI_MODELS on the fake OpenAI-compatible provider). */
export const E2E_MODELS = 'fake-model,fake-model-large';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the Next app the browser tests drive; '' when they do not run. */
    appUrl: string;
    /** Chromium executable; '' when none was found (the browser tests then do not run). */
    chromiumPath: string;
    /** Where a browser test scripts the fake provider (tests/helpers/fake-llm-control.ts). */
    fakeLlmControlUrl: string;
  }
}

/** Whether this run includes tests/e2e (a full run, or filters that name it). */
function runIncludesE2e(project: TestProject): boolean {
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern ?? [];
  return filters.length === 0 || filters.some((filter) => filter.includes('e2e'));
}

/**
 * Starts the app for the browser tests when they are part of the run: a real `next dev` on a free port
 * against the test stack, or with E2E_NEXT=start a production build (`next build` once per run, fresh
 * secrets, then `next start`). Without a Chromium the browser tests cannot run: said loudly, and fatal under CI.
 */
export async function setUpBrowserTests(
  project: TestProject,
  stack: { databaseUrl: string; realtimeUrl: string },
): Promise<() => Promise<void>> {
  project.provide('appUrl', '');
  project.provide('chromiumPath', '');
  project.provide('fakeLlmControlUrl', '');
  if (!runIncludesE2e(project)) return async () => {};
  const chromiumPath = findChromium();
  if (!chromiumPath) {
    const message =
      "No Chromium found (set CHROMIUM_PATH or install Debian's chromium): the browser (e2e) tests will NOT run.";
    if (process.env.CI === 'true') throw new Error(message);
    console.warn(`\n${'!'.repeat(100)}\n!! ${message}\n${'!'.repeat(100)}\n`);
    return async () => {};
  }
  const provider = await startFakeLlmProvider();
  const control = await serveFakeLlmControl(provider);
  const logs: string[] = [];
  const production = process.env.E2E_NEXT === 'start';
  let app: NextApp;
  let productionRealtime: RealtimeServer | null = null;
  try {
    let appStack = stack;
    let secrets: Record<string, string> = {};
    if (production) {
      // Production refuses the demo secrets the shared test stack uses: fresh ones, and a realtime server of
      // its own on the same database that verifies with them.
      secrets = { ...(await generateSecrets()) };
      productionRealtime = await startRealtimeServer({
        port: 0,
        databaseUrl: stack.databaseUrl,
        jwtSecret: secrets.SUPABASE_JWT_SECRET as string,
      });
      appStack = { databaseUrl: stack.databaseUrl, realtimeUrl: productionRealtime.url };
    }
    app = await startNextApp({
      ...appStack,
      mode: production ? 'start' : 'dev',
      aiBaseUrl: provider.baseUrl,
      extraEnv: { AI_MODELS: E2E_MODELS, ...secrets },
      log: (line) => logs.push(line),
    });
  } catch (error) {
    console.error(logs.join('\n'));
    await productionRealtime?.stop();
    await control.close();
    await provider.close();
    throw error;
  }
  project.provide('appUrl', app.url);
  project.provide('chromiumPath', chromiumPath);
  project.provide('fakeLlmControlUrl', control.url);
  return async () => {
    await app.stop();
    await productionRealtime?.stop();
    await control.close();
    await provider.close();
    if (process.env.E2E_SERVER_LOG) console.log(logs.join('\n'));
  };
}
