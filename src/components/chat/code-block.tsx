'use client';

import { type ComponentProps, useRef } from 'react';
import { CopyButton } from './copy-button';

/** A fenced code block: highlighted by rehype-highlight, with its language and a copy button. */
export function CodeBlock({ children, ...props }: ComponentProps<'pre'>) {
  const ref = useRef<HTMLPreElement>(null);
  const language = /language-(\S+)/.exec(
    (children as { props?: { className?: string } } | undefined)?.props?.className ?? '',
  )?.[1];
  return (
    <div className="code-block">
      <div className="code-block-bar">
        <span className="muted small">{language ?? 'code'}</span>
        <CopyButton label="Copy code" text={() => ref.current?.textContent ?? ''} />
      </div>
      <pre ref={ref} {...props}>
        {children}
      </pre>
    </div>
  );
}
