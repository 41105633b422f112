'use client';

import { useEffect } from 'react';

/**
 * Registers the service worker (src/client/offline/offline-worker.ts) and hands it this page and the assets
 * it loaded, which it could not see load.
 */
export function OfflineSupport() {
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    navigator.serviceWorker
      .register('/sw.js')
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        const assets = performance
          .getEntriesByType('resource')
          .map((entry) => entry.name)
          .filter((url) => url.includes('/_next/static/'));
        registration.active?.postMessage({ type: 'save-loaded-page', page: location.pathname, assets });
      })
      // No worker (private mode, a browser refusing it): the app works as before, online only.
      .catch(() => {});
  }, []);
  return null;
}
