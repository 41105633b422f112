import { describe, expect, it } from 'vitest';
import { splitMarkdownBlocks } from '@/client/markdown-blocks';

describe('splitMarkdownBlocks', () => {
  it('splits at blank lines', () => {
    expect(splitMarkdownBlocks('# Title\n\nOne paragraph\nstill one\n\n- a\n- b')).toEqual([
      '# Title',
      'One paragraph\nstill one',
      '- a\n- b',
    ]);
  });

  it('keeps a fenced code block whole, blank lines included, even while it is still open', () => {
    const open = 'Intro\n\n```ts\nconst a = 1;\n\nconst b = 2;';
    expect(splitMarkdownBlocks(open)).toEqual(['Intro', '```ts\nconst a = 1;\n\nconst b = 2;']);
    expect(splitMarkdownBlocks(`${open}\n\`\`\`\n\nAfter`)).toEqual([
      'Intro',
      '```ts\nconst a = 1;\n\nconst b = 2;\n```',
      'After',
    ]);
  });

  it('changes only the last block as text streams in', () => {
    const full = 'First paragraph.\n\nSecond paragraph grows';
    const before = splitMarkdownBlocks(full.slice(0, -5));
    const after = splitMarkdownBlocks(full);
    expect(before[0]).toBe(after[0]);
    expect(after).toHaveLength(2);
  });
});
