'use client';

import { lazy, Suspense } from 'react';

const MarkdownText = lazy(() =>
  import('./markdown-text').then((module) => ({ default: module.MarkdownText })),
);

/** Starts downloading the markdown renderer ahead of the first reply (idempotent). */
export function preloadMarkdown(): void {
  void import('./markdown-text');
}

/**
 * The markdown renderer in its own chunk: a server-rendered reply stays as the server's HTML until the
 * chunk arrives (React hydrates the boundary then), and an empty new chat does not wait for it at all. A reply
 * streaming in before the chunk shows nothing yet (the typing dots do) rather than raw `## ` and `**`.
 */
export function LazyMarkdownText({ text, streaming }: { text: string; streaming: boolean }) {
  return (
    <Suspense fallback={<div className="markdown plain">{streaming ? null : text}</div>}>
      <MarkdownText text={text} streaming={streaming} />
    </Suspense>
  );
}
