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

/** How long sign-out waits for the worker to confirm; a stuck worker must not keep anyone signed in. */
const FORGET_WAIT_MS = 3_000;

/**
 * Forgets every saved chat page of this browser (sign-out: the next person must not read them offline).
 * The worker does the forgetting, so a save it has in flight is dropped too; the page waits for its answer.
 */
export async function forgetSavedPages(): Promise<void> {
  if (typeof caches === 'undefined') return;
  const worker = await navigator.serviceWorker?.getRegistration().then((found) => found?.active);
  if (worker) {
    const channel = new MessageChannel();
    const answered = new Promise<void>((resolve) => {
      channel.port1.onmessage = () => resolve();
    });
    worker.postMessage({ type: 'forget-saved-pages' }, [channel.port2]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      answered,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, FORGET_WAIT_MS))),
    ]);
    clearTimeout(timer);
    channel.port1.close();
  }
  await caches.delete(SAVED_PAGES.pages);
}
