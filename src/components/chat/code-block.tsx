'use client';

import { type ComponentProps, useEffect, useState } from 'react';
import { highlightCode } from '@/client/code-highlighter';
import { CopyButton } from '@/components/ui/copy-button';
import { type FencedCode, fencedCodeOf } from './fenced-code';

/** A fenced code block: its language, a copy button, and syntax colours once the highlighter has loaded. */
export function CodeBlock({
  children,
  node: _node,
  source,
  ...props
}: ComponentProps<'pre'> & { node?: unknown; source?: FencedCode }) {
  // A server-rendered block passes its text (elements that crossed from the server may be references).
  const { code, language } = source ?? fencedCodeOf(children);
  const [highlighted, setHighlighted] = useState<{ code: string; html: string } | null>(null);
  useEffect(() => {
    let current = true;
    highlightCode(code, language)
      .then((html) => {
        if (current && html !== null) setHighlighted({ code, html });
      })
      .catch(() => {});
    return () => {
      current = false;
    };
  }, [code, language]);
  const html = highlighted?.code === code ? highlighted.html : null;
  return (
    <div className="code-block">
      <div className="code-block-bar">
        <span className="muted small">{language ?? 'code'}</span>
        <CopyButton label="Copy code" text={() => code} />
      </div>
      <pre {...props}>
        {html === null ? (
          <code className={language ? `hljs language-${language}` : 'hljs'}>{code}</code>
        ) : (
          // biome-ignore lint/security/noDangerouslySetInnerHtml: highlight.js output, which escapes the code text
          <code className={`hljs language-${language}`} dangerouslySetInnerHTML={{ __html: html }} />
        )}
      </pre>
    </div>
  );
}
