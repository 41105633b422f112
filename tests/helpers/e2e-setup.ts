import type { TestProject } from 'vitest/node';
import { type RealtimeServer, startRealtimeServer } from '../../src/realtime';
import { freePort } from '../../src/stack/free-port';
import { generateSecrets } from '../../src/stack/generated-secrets';
import { serveAppReadiness } from './app-readiness';
import { findChromium } from './chromium';
import { testDeleteEventsMode } from './delete-events-mode';
import { serveFakeLlmControl } from './fake-llm-control';
import { startFakeLlmProvider } from './fake-llm-provider';
import { startMailCatcher } from './mail-catcher';
import { E2E_PRODUCTION_DIST_DIR, type NextApp, startNextApp } from './next-app';
import { secretCanaries } from './secret-canaries';

/** The models the e2e app offers (AI_MODELS on the fake OpenAI-compatible provider). */
export const E2E_MODELS = 'fake-model,fake-model-large';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the Next app the browser tests drive; '' when they do not run. */
    appUrl: string;
    /** Answers once that app serves (tests/helpers/app-readiness.ts); '' when the browser tests do not run. */
    appReadinessUrl: string;
    /** Chromium executable; '' when none was found (the browser tests then do not run). */
    chromiumPath: string;
    /** Where a browser test scripts the fake provider (tests/helpers/fake-llm-control.ts). */
    fakeLlmControlUrl: string;
    /** Where a browser test reads the mail the app sent (tests/helpers/mail-catcher.ts). */
    mailCatcherUrl: string;
    /**
     * The production build the browser tests run on, and the server secrets that were in its environment
     * (the client bundle scan looks for them); `dir` is '' when the app runs as `next dev`.
     */
    productionBuild: { dir: string; secrets: string[] };
  }
}

/** Whether this run includes tests/e2e (a full run, or filters that name it). */
function runIncludesE2e(project: TestProject): boolean {
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern ?? [];
  return filters.length === 0 || filters.some((filter) => filter.includes('e2e'));
}

/**
 * Starts the app for the browser tests when they are part of the run: a production build on a free port
 * against the test stack (`next build` once per run, fresh secrets, then `next start`), as users reach it;
 * with E2E_NEXT=dev a `next dev` instead (no build wait while working on one test, but pages compile on
 * first request). Mail goes over SMTP to a catcher in both. Without a Chromium the browser tests cannot run:
 * said loudly, and fatal under CI.
 */
export async function setUpBrowserTests(
  project: TestProject,
  stack: { databaseUrl: string; realtimeUrl: string },
): Promise<() => Promise<void>> {
  project.provide('appUrl', '');
  project.provide('appReadinessUrl', '');
  project.provide('chromiumPath', '');
  project.provide('fakeLlmControlUrl', '');
  project.provide('mailCatcherUrl', '');
  project.provide('productionBuild', { dir: '', secrets: [] });
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
  const mail = await startMailCatcher();
  const logs: string[] = [];
  const production = process.env.E2E_NEXT !== 'dev';
  let productionRealtime: RealtimeServer | null = null;
  let secrets: Record<string, string> = {};
  let appStack = stack;
  if (production) {
    // Production refuses the demo secrets the shared test stack uses: fresh ones, and a realtime server of
    // its own on the same database that verifies with them.
    secrets = { ...(await generateSecrets()) };
    productionRealtime = await startRealtimeServer({
      port: 0,
      databaseUrl: stack.databaseUrl,
      jwtSecret: secrets.SUPABASE_JWT_SECRET as string,
      deleteEvents: testDeleteEventsMode(),
    });
    appStack = { databaseUrl: stack.databaseUrl, realtimeUrl: productionRealtime.url };
  }
  // Built and started in the background: the other tests run meanwhile (tests/vitest.config.ts
  // puts the browser tests last), and each browser test file waits at the readiness door.
  const port = await freePort();
  const starting: Promise<NextApp> = startNextApp({
    ...appStack,
    port,
    mode: production ? 'start' : 'dev',
    // The server secrets are in the build's environment too, as a careless deployment would have them.
    buildEnv: { ...secretCanaries, ...secrets },
    aiBaseUrl: provider.baseUrl,
    extraEnv: {
      AI_MODELS: E2E_MODELS,
      SMTP_URL: mail.smtpUrl,
      // The app sits behind a proxy on 127.0.0.1 (tests/e2e/support/browser.ts gives each browser context
      // its own X-Forwarded-For): each test user is a client of its own for the per-address auth limits
      // that production enforces, as real users behind a real proxy are.
      TRUSTED_PROXIES: '127.0.0.1',
      ...secrets,
    },
    log: (line) => logs.push(line),
  });
  const readiness = await serveAppReadiness(starting, () => logs.slice(-200).join('\n'));
  project.provide('appUrl', `http://localhost:${port}`);
  project.provide('appReadinessUrl', readiness.url);
  project.provide('chromiumPath', chromiumPath);
  project.provide('fakeLlmControlUrl', control.url);
  project.provide('mailCatcherUrl', mail.url);
  if (production) {
    project.provide('productionBuild', {
      dir: E2E_PRODUCTION_DIST_DIR,
      secrets: Object.entries({ ...secretCanaries, ...secrets })
        .filter(([name]) => !name.startsWith('NEXT_PUBLIC_'))
        .map(([, value]) => value),
    });
  }
  return async () => {
    const app = await starting.catch(() => null);
    await app?.stop();
    await readiness.close();
    await productionRealtime?.stop();
    await mail.close();
    await control.close();
    await provider.close();
    if (process.env.E2E_SERVER_LOG) console.log(logs.join('\n'));
  };
}
