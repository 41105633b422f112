import type { Page } from 'playwright-core';

/**
 * The JavaScript a loaded page of the app fetched, compressed as served: the scripts its HTML names — what the
 * browser runs before React can make the page interactive; chunks loaded on demand are not named there — and
 * everything it has loaded so far. Counted by name, not by when each arrived, so a busy machine cannot move a
 * chunk from one side to the other.
 */
export async function routeScriptBytes(page: Page): Promise<{ initial: number; all: number }> {
  const html = await (await page.request.get(page.url())).text();
  const named = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map(
    (match) => new URL(match[1] ?? '', page.url()).pathname,
  );
  return page.evaluate((initialPaths) => {
    const wanted = new Set(initialPaths);
    let initial = 0;
    let all = 0;
    for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
      const path = new URL(entry.name).pathname;
      if (!path.startsWith('/_next/static/') || !path.endsWith('.js')) continue;
      all += entry.encodedBodySize;
      if (wanted.has(path)) initial += entry.encodedBodySize;
    }
    return { initial, all };
  }, named);
}
