'use client';

import { type ComponentProps, isValidElement, type ReactNode, useEffect, useState } from 'react';
import { highlightCode } from '@/client/code-highlighter';
import { CopyButton } from './copy-button';

/** The text and language of the <code> react-markdown puts inside a fenced block's <pre>. */
function codeOf(children: ReactNode): { code: string; language: string | undefined } {
  if (!isValidElement<{ className?: string; children?: ReactNode }>(children)) {
    return { code: String(children ?? ''), language: undefined };
  }
  const language = /language-(\S+)/.exec(children.props.className ?? '')?.[1];
  const inner = children.props.children;
  return { code: Array.isArray(inner) ? inner.join('') : String(inner ?? ''), language };
}

/** A fenced code block: its language, a copy button, and syntax colours once the highlighter has loaded. */
export function CodeBlock({ children, node: _node, ...props }: ComponentProps<'pre'> & { node?: unknown }) {
  const { code, language } = codeOf(children);
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
