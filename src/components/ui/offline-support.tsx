'use client';

import { useEffect } from 'react';

/**
 * Registers the service worker (src/client/offline/offline-worker.ts). A page loaded before the worker ran
 * hands it the page and the assets it loaded, which the worker could not see load; a page the worker served
 * was saved on the way (asking again would render the page a second time on the server).
 */
export function OfflineSupport() {
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    const servedByWorker = navigator.serviceWorker.controller !== null;
    navigator.serviceWorker
      .register('/sw.js')
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        if (servedByWorker) return;
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
