import type { HLJSApi, LanguageFn } from 'highlight.js';

/**
 * highlight.js's "common" languages, each in a chunk of its own, loaded the first time a code block names it:
 * a page with no code downloads none of it, and one with TypeScript only the core and TypeScript (the whole
 * common set was 48 KB gzipped).
 */
const LANGUAGES: Record<string, () => Promise<{ default: LanguageFn }>> = {
  bash: () => import('highlight.js/lib/languages/bash'),
  c: () => import('highlight.js/lib/languages/c'),
  cpp: () => import('highlight.js/lib/languages/cpp'),
  csharp: () => import('highlight.js/lib/languages/csharp'),
  css: () => import('highlight.js/lib/languages/css'),
  diff: () => import('highlight.js/lib/languages/diff'),
  go: () => import('highlight.js/lib/languages/go'),
  graphql: () => import('highlight.js/lib/languages/graphql'),
  ini: () => import('highlight.js/lib/languages/ini'),
  java: () => import('highlight.js/lib/languages/java'),
  javascript: () => import('highlight.js/lib/languages/javascript'),
  json: () => import('highlight.js/lib/languages/json'),
  kotlin: () => import('highlight.js/lib/languages/kotlin'),
  less: () => import('highlight.js/lib/languages/less'),
  lua: () => import('highlight.js/lib/languages/lua'),
  makefile: () => import('highlight.js/lib/languages/makefile'),
  markdown: () => import('highlight.js/lib/languages/markdown'),
  objectivec: () => import('highlight.js/lib/languages/objectivec'),
  perl: () => import('highlight.js/lib/languages/perl'),
  php: () => import('highlight.js/lib/languages/php'),
  'php-template': () => import('highlight.js/lib/languages/php-template'),
  plaintext: () => import('highlight.js/lib/languages/plaintext'),
  python: () => import('highlight.js/lib/languages/python'),
  'python-repl': () => import('highlight.js/lib/languages/python-repl'),
  r: () => import('highlight.js/lib/languages/r'),
  ruby: () => import('highlight.js/lib/languages/ruby'),
  rust: () => import('highlight.js/lib/languages/rust'),
  scss: () => import('highlight.js/lib/languages/scss'),
  shell: () => import('highlight.js/lib/languages/shell'),
  sql: () => import('highlight.js/lib/languages/sql'),
  swift: () => import('highlight.js/lib/languages/swift'),
  typescript: () => import('highlight.js/lib/languages/typescript'),
  vbnet: () => import('highlight.js/lib/languages/vbnet'),
  wasm: () => import('highlight.js/lib/languages/wasm'),
  xml: () => import('highlight.js/lib/languages/xml'),
  yaml: () => import('highlight.js/lib/languages/yaml'),
};

/** The other names a code fence may give (the aliases those languages declare). */
const ALIASES: Record<string, string> = {
  html: 'xml',
  xhtml: 'xml',
  rss: 'xml',
  atom: 'xml',
  xjb: 'xml',
  xsd: 'xml',
  xsl: 'xml',
  plist: 'xml',
  wsf: 'xml',
  svg: 'xml',
  sh: 'bash',
  zsh: 'bash',
  h: 'c',
  cc: 'cpp',
  'c++': 'cpp',
  'h++': 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  hxx: 'cpp',
  cxx: 'cpp',
  cs: 'csharp',
  'c#': 'csharp',
  md: 'markdown',
  mkdown: 'markdown',
  mkd: 'markdown',
  patch: 'diff',
  rb: 'ruby',
  gemspec: 'ruby',
  podspec: 'ruby',
  thor: 'ruby',
  irb: 'ruby',
  golang: 'go',
  gql: 'graphql',
  toml: 'ini',
  jsp: 'java',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsonc: 'json',
  json5: 'json',
  kt: 'kotlin',
  kts: 'kotlin',
  pluto: 'lua',
  mk: 'makefile',
  mak: 'makefile',
  make: 'makefile',
  pl: 'perl',
  pm: 'perl',
  mm: 'objectivec',
  objc: 'objectivec',
  'obj-c': 'objectivec',
  'obj-c++': 'objectivec',
  'objective-c++': 'objectivec',
  text: 'plaintext',
  txt: 'plaintext',
  py: 'python',
  gyp: 'python',
  ipython: 'python',
  pycon: 'python-repl',
  rs: 'rust',
  console: 'shell',
  shellsession: 'shell',
  yml: 'yaml',
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  vb: 'vbnet',
};

/** Languages another highlights inside itself (HTML in Markdown, CSS and JavaScript in HTML, …). */
const EMBEDDED: Record<string, string[]> = {
  xml: ['css', 'javascript'],
  markdown: ['xml'],
  javascript: ['xml', 'css', 'graphql'],
  typescript: ['xml', 'css', 'graphql'],
  'php-template': ['xml', 'php'],
  'python-repl': ['python'],
  shell: ['bash'],
  yaml: ['ruby'],
};

let core: Promise<HLJSApi> | undefined;
const registered = new Map<string, Promise<void>>();

function register(hljs: HLJSApi, name: string): Promise<void> {
  let done = registered.get(name);
  if (!done) {
    const load = LANGUAGES[name];
    if (!load) return Promise.reject(new Error(`No highlighter for ${name}`));
    done = load().then((module) => hljs.registerLanguage(name, module.default));
    registered.set(name, done);
  }
  return done;
}

/** The language and those it embeds, each once. */
function withEmbedded(name: string): string[] {
  const names = new Set([name]);
  for (const found of names) for (const embedded of EMBEDDED[found] ?? []) names.add(embedded);
  return [...names];
}

/** The code as highlighted HTML (highlight.js escapes the text), or null for an unknown language. */
export async function highlightCode(code: string, language: string | undefined): Promise<string | null> {
  // Own keys only: a fence's language is whatever a message says (`constructor`, `__proto__`).
  const asked = language?.toLowerCase() ?? '';
  const name = Object.hasOwn(LANGUAGES, asked)
    ? asked
    : Object.hasOwn(ALIASES, asked)
      ? ALIASES[asked]
      : undefined;
  if (!name) return null;
  core ??= import('highlight.js/lib/core').then((module) => module.default);
  const hljs = await core;
  await Promise.all(withEmbedded(name).map((each) => register(hljs, each)));
  return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
}
