'use client';

import { memo, useMemo } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { splitMarkdownBlocks } from '@/client/markdown-blocks';
import { hideUnfinishedMarkdown } from '@/client/unfinished-markdown';
import { CodeBlock } from './code-block';

const components: Components = {
  pre: CodeBlock,
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noreferrer noopener" />,
};

const remarkPlugins = [remarkGfm];

/** One block, parsed once: memo keeps it as long as its source text is unchanged. */
const MarkdownBlock = memo(function MarkdownBlock({ source }: { source: string }) {
  return (
    <ReactMarkdown remarkPlugins={remarkPlugins} components={components}>
      {source}
    </ReactMarkdown>
  );
});

/**
 * GFM with highlighted code (see CodeBlock); while streaming, only the block still growing is parsed again,
 * and its unfinished syntax (an open `**`, a table without its delimiter row) is hidden until it completes.
 */
export function MarkdownText({ text, streaming = false }: { text: string; streaming?: boolean }) {
  const blocks = useMemo(() => {
    const all = splitMarkdownBlocks(text);
    const last = all.length - 1;
    if (streaming && last >= 0) all[last] = hideUnfinishedMarkdown(all[last] ?? '');
    return all;
  }, [text, streaming]);
  return (
    <div className="markdown">
      {blocks.map((block, index) => (
        // Blocks only ever grow at the end, so the index is a stable identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <MarkdownBlock key={index} source={block} />
      ))}
    </div>
  );
}
