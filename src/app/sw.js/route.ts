import { type OfflineWorkerOptions, offlineWorker } from '@/client/offline/offline-worker';
import { SAVED_PAGES } from '@/client/offline/saved-pages';

// Rendered once at build time: each build is a new worker version, which drops the last build's assets.
// In development one version throughout (a new one on every request would reinstall the worker each time).
export const dynamic = 'force-static';

const production = process.env.NODE_ENV === 'production';

const options: OfflineWorkerOptions = {
  version: production ? Date.now().toString(36) : 'dev',
  assetsImmutable: production,
  pages: SAVED_PAGES.pages,
  assetsPrefix: SAVED_PAGES.assetsPrefix,
  maxPages: SAVED_PAGES.maxPages,
};

/** The service worker script (scope `/`): the worker function's own source, called with its options. */
export function GET(): Response {
  return new Response(`(${offlineWorker.toString()})(self, ${JSON.stringify(options)});\n`, {
    headers: {
      'content-type': 'text/javascript; charset=utf-8',
      // Browsers check for a new worker on navigation; never let a cache answer that check.
      'cache-control': 'no-cache',
    },
  });
}
