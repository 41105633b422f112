import type { ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { CodeBlock } from './code-block';
import { fencedCodeOf } from './fenced-code';

const components: Components = {
  // The code's text crosses to the client component, not react-markdown's elements or syntax tree.
  pre: ({ node: _node, children, ...props }) => <CodeBlock {...props} source={fencedCodeOf(children)} />,
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noreferrer noopener" />,
};

const remarkPlugins = [remarkGfm];

/**
 * A finished reply rendered to HTML on the server (a Server Component), so a reloaded chat paints its
 * markdown at once instead of raw text while the markdown chunk downloads.
 */
export function ServerMarkdown({ text }: { text: string }): ReactNode {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={remarkPlugins} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
