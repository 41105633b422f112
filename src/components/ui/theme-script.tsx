/**
 * Sets `data-theme` on <html> before the first paint from the saved choice, so a dark-mode user never sees a
 * white flash. "system" (or nothing saved) leaves the attribute off and the CSS follows prefers-color-scheme.
 */
const script = `try{var t=localStorage.getItem('theme');if(t==='light'||t==='dark')document.documentElement.dataset.theme=t}catch(e){}`;

export function ThemeScript() {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script, no user input
  return <script dangerouslySetInnerHTML={{ __html: script }} />;
}
