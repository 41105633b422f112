'use client';

import { useLayoutEffect, useSyncExternalStore } from 'react';
import { readThemePreference } from '@/client/theme-preference';

/**
 * Sets `data-theme` on <html> before the first paint from the saved choice, so a dark-mode user never sees a
 * white flash. "system" (or nothing saved) leaves the attribute off and the CSS follows prefers-color-scheme.
 */
const script = `try{var t=localStorage.getItem('theme');if(t==='light'||t==='dark')document.documentElement.dataset.theme=t}catch(e){}`;

const subscribe = () => () => {};

/**
 * The inline script exists in the server's HTML only. When React renders the document on the client (a
 * not-found page, an error recovery) a script element would never run (React warns about it) and <html>
 * loses the attribute the script set, so the saved theme is applied again from here instead.
 */
export function ThemeScript() {
  const serverRendered = useSyncExternalStore(
    subscribe,
    () => false,
    () => true,
  );
  useLayoutEffect(() => {
    const preference = readThemePreference();
    if (preference !== 'system') document.documentElement.dataset.theme = preference;
  });
  if (!serverRendered) return null;
  // biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script, no user input
  return <script dangerouslySetInnerHTML={{ __html: script }} />;
}
