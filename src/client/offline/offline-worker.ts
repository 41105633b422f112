/**
 * The service worker, as one self-contained function: /sw.js serves its source text called with the cache
 * names and a version (src/app/sw.js/route.ts), so it is TypeScript like the rest of the app and needs no
 * build step of its own. It may use nothing from outside its body — no imports, no module constants.
 *
 * - Build assets (`/_next/static/…`): saved, so a saved page hydrates offline; in a production build they are
 *   named by content hash, so the saved copy answers first; in development (same names, new code after an
 *   edit) the network does, the copy only offline.
 * - Page loads of `/` and `/c/<id>`: network first; the answer is saved, and used when the network fails.
 *   A chat never opened on this device shows a short offline page instead.
 * - Auth pages purge the saved pages (a new person signing in must not read the last one's chats), as do
 *   sign-out (the page asks the worker to forget, and waits for it) and a page load that ends on the sign-in
 *   page (signed out elsewhere). A save still in flight when they forget is dropped, never stored after.
 * - Everything else (tRPC, auth, uploads, realtime) is not touched: live data is never served stale.
 */
export interface OfflineWorkerOptions {
  version: string;
  /** Production: assets never change under a name, the saved copy is served first. */
  assetsImmutable: boolean;
  pages: string;
  assetsPrefix: string;
  maxPages: number;
}

/** The parts of the service worker events used here (the app's TypeScript setup has no WebWorker lib). */
interface ExtendableEventLike {
  waitUntil(work: Promise<unknown>): void;
}

/** Chromium's static routing (`InstallEvent.addRoutes`): requests a rule sends to the network skip the worker. */
interface InstallEventLike extends ExtendableEventLike {
  addRoutes?(rules: { condition: { urlPattern: string }; source: 'network' }[]): Promise<void>;
}

interface FetchEventLike extends ExtendableEventLike {
  request: Request;
  respondWith(response: Promise<Response>): void;
}

interface MessageEventLike extends ExtendableEventLike {
  data: unknown;
  ports: readonly MessagePort[];
}

export interface WorkerScope {
  location: Location;
  addEventListener(type: 'install', listener: (event: InstallEventLike) => void): void;
  addEventListener(type: 'activate', listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
  addEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
}

export function offlineWorker(scope: WorkerScope, options: OfflineWorkerOptions): void {
  const assets = options.assetsPrefix + options.version;
  const isAuthPage = (path: string) =>
    path === '/sign-in' || path === '/sign-up' || path.startsWith('/reset-password');
  const isSavedPage = (path: string) => path === '/' || /^\/c\/[0-9a-f-]{36}$/.test(path);

  const offlinePage = () =>
    new Response(
      '<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
        '<title>Offline · ChatTwelve</title><body style="font:16px system-ui;margin:3rem auto;max-width:32rem;padding:0 1rem">' +
        '<h1 data-testid="offline-page">You are offline</h1><p>This page was not opened on this device before, so ' +
        'there is no copy of it here. Chats you opened recently can still be read; try again once you are back ' +
        'online.</p><p><a href="/">Open the chat list</a></p></body></html>',
      { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } },
    );

  // Bumped by every forget: a save begun before it (a page fetched with the old session) must not land after.
  let generation = 0;
  const forgetPages = () => {
    generation += 1;
    return caches.delete(options.pages);
  };

  const savePage = async (path: string, response: Response, begunIn: number) => {
    if (generation !== begunIn) return;
    const cache = await caches.open(options.pages);
    await cache.put(path, response);
    if (generation !== begunIn) {
      await cache.delete(path);
      return;
    }
    const keys = await cache.keys();
    for (const stale of keys.slice(0, Math.max(0, keys.length - options.maxPages))) await cache.delete(stale);
  };

  const pageLoad = async (request: Request, path: string): Promise<Response> => {
    const begunIn = generation;
    try {
      const response = await fetch(request);
      const landed = new URL(response.url || request.url).pathname;
      if (isAuthPage(landed)) await forgetPages();
      else if (response.ok && !response.redirected && isSavedPage(path))
        await savePage(path, response.clone(), begunIn);
      return response;
    } catch (error) {
      if (!isSavedPage(path)) throw error;
      const saved = await caches.match(path, { cacheName: options.pages });
      return saved ?? offlinePage();
    }
  };

  const asset = async (request: Request): Promise<Response> => {
    const cache = await caches.open(assets);
    const saved = options.assetsImmutable ? await cache.match(request) : undefined;
    if (saved) return saved;
    try {
      const response = await fetch(request);
      if (response.ok) await cache.put(request, response.clone());
      return response;
    } catch (error) {
      const fallback = await cache.match(request);
      if (fallback) return fallback;
      throw error;
    }
  };

  scope.addEventListener('install', (event) => {
    // The API (tRPC, auth, uploads) never touches the worker where the browser can route around it: a send
    // does not wait for the worker to wake (tens of ms after it idled) or to pass it on (≈ 2 ms measured).
    if (event.addRoutes)
      event.waitUntil(
        event.addRoutes([{ condition: { urlPattern: '/api/*' }, source: 'network' }]).catch(() => {}),
      );
    void scope.skipWaiting();
  });
  scope.addEventListener('activate', (event) => {
    event.waitUntil(
      caches
        .keys()
        .then((names) =>
          Promise.all(
            names
              .filter((name) => name.startsWith(options.assetsPrefix) && name !== assets)
              .map((name) => caches.delete(name)),
          ),
        )
        .then(() => scope.clients.claim()),
    );
  });
  scope.addEventListener('fetch', (event) => {
    const request = event.request;
    if (request.method !== 'GET') return;
    const url = new URL(request.url);
    if (url.origin !== scope.location.origin) return;
    if (url.pathname.startsWith('/_next/static/')) event.respondWith(asset(request));
    else if (request.mode === 'navigate') event.respondWith(pageLoad(request, url.pathname));
  });
  scope.addEventListener('message', (event) => {
    const data = event.data as { type?: unknown; page?: unknown; assets?: unknown } | null;
    // Sign-out: forget, then answer on the port the page waits on.
    if (data?.type === 'forget-saved-pages') {
      event.waitUntil(forgetPages().then(() => event.ports[0]?.postMessage('forgotten')));
      return;
    }
    // A page loaded before the worker ran hands over what it loaded.
    if (data?.type !== 'save-loaded-page') return;
    const isOwnAsset = (url: unknown) => {
      try {
        const parsed = new URL(String(url));
        return parsed.origin === scope.location.origin && parsed.pathname.startsWith('/_next/static/');
      } catch {
        return false;
      }
    };
    const own = Array.isArray(data.assets) ? data.assets.filter(isOwnAsset).map(String) : [];
    const path = typeof data.page === 'string' ? data.page : '';
    const begunIn = generation;
    event.waitUntil(
      Promise.all([
        caches.open(assets).then((cache) => Promise.all(own.map((url) => cache.add(url).catch(() => {})))),
        isSavedPage(path)
          ? fetch(path, { credentials: 'same-origin' })
              .then((response) =>
                response.ok && !response.redirected ? savePage(path, response, begunIn) : undefined,
              )
              .catch(() => {})
          : Promise.resolve(),
      ]),
    );
  });
}
