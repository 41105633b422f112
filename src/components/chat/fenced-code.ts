import { isValidElement, type ReactNode } from 'react';

export interface FencedCode {
  code: string;
  language: string | undefined;
}

/** The text and language of the <code> react-markdown puts inside a fenced block's <pre>. */
export function fencedCodeOf(children: ReactNode): FencedCode {
  if (!isValidElement<{ className?: string; children?: ReactNode }>(children)) {
    return { code: String(children ?? ''), language: undefined };
  }
  const language = /language-(\S+)/.exec(children.props.className ?? '')?.[1];
  const inner = children.props.children;
  return { code: Array.isArray(inner) ? inner.join('') : String(inner ?? ''), language };
}
