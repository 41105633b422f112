/**
 * What the service worker keeps so a chat opened before reads offline. The worker gets these names as
 * arguments (its source is one function, see offline-worker.ts); the page uses them to forget a user's pages.
 */
export const SAVED_PAGES = {
  /** Chat pages as last loaded (private: forgotten at sign-out and whenever an auth page is opened). */
  pages: 'chattwelve-pages',
  /** Build assets (`/_next/static`, content-hashed), one cache per worker version. */
  assetsPrefix: 'chattwelve-assets-',
  /** The newest chat pages kept; older ones are dropped as new ones are saved. */
  maxPages: 50,
} as const;

/** Forgets every saved chat page of this browser (sign-out: the next person must not read them offline). */
export async function forgetSavedPages(): Promise<void> {
  if (typeof caches === 'undefined') return;
  await caches.delete(SAVED_PAGES.pages);
}
