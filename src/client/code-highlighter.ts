import type { HLJSApi } from 'highlight.js';

let loading: Promise<HLJSApi> | undefined;

/**
 * highlight.js (its common languages) is loaded on first use, in its own chunk: a page with no code block
 * never downloads it, and the chat route's first load stays small.
 */
function loadHighlighter(): Promise<HLJSApi> {
  loading ??= import('highlight.js/lib/common').then((module) => module.default);
  return loading;
}

/** The code as highlighted HTML (highlight.js escapes the text), or null for an unknown language. */
export async function highlightCode(code: string, language: string | undefined): Promise<string | null> {
  if (!language) return null;
  const hljs = await loadHighlighter();
  if (!hljs.getLanguage(language)) return null;
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}
