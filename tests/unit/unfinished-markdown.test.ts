import { describe, expect, it } from 'vitest';
import { hideUnfinishedMarkdown } from '@/client/unfinished-markdown';

describe('hideUnfinishedMarkdown (the growing block of a streaming reply)', () => {
  it('closes bold, emphasis and strike-through left open', () => {
    expect(hideUnfinishedMarkdown('That is **all')).toBe('That is **all**');
    expect(hideUnfinishedMarkdown('a *new')).toBe('a *new*');
    expect(hideUnfinishedMarkdown('x ~~y')).toBe('x ~~y~~');
  });

  it('hides an opening marker that has no text after it yet', () => {
    expect(hideUnfinishedMarkdown('Sorting in TypeScript\n\nUse **')).toBe('Sorting in TypeScript\n\nUse');
    for (const marker of ['*', '_', '~~', '***']) expect(hideUnfinishedMarkdown(`a ${marker}`)).toBe('a');
    expect(hideUnfinishedMarkdown('done**')).toBe('done**');
  });

  it('closes an open inline code span before the bold around it', () => {
    expect(hideUnfinishedMarkdown('Use **`Arr')).toBe('Use **`Arr`**');
    // The backtick alone is dropped first; the bold marker it leaves bare goes too (it showed as `Use **`).
    expect(hideUnfinishedMarkdown('Use **`')).toBe('Use');
  });

  it('drops a backtick run that may be the start of a code span or fence', () => {
    expect(hideUnfinishedMarkdown('x ``')).toBe('x');
    expect(hideUnfinishedMarkdown('``')).toBe('');
  });

  it('shows only the text of a link whose address is still coming', () => {
    expect(hideUnfinishedMarkdown('[docs](https://ex')).toBe('docs');
  });

  it('holds a table back until its delimiter row is complete', () => {
    expect(hideUnfinishedMarkdown('| method | mutates |')).toBe('');
    expect(hideUnfinishedMarkdown('| method | mutates |\n| --- | -')).toBe('');
    expect(hideUnfinishedMarkdown('| a | b |\n| --- | --- |\n| `sort')).toBe(
      '| a | b |\n| --- | --- |\n| `sort`',
    );
  });

  it('leaves fenced code and finished text as they are', () => {
    expect(hideUnfinishedMarkdown('```ts\nconst x = `a')).toBe('```ts\nconst x = `a');
    expect(hideUnfinishedMarkdown('x `a` and `b` c')).toBe('x `a` and `b` c');
  });
});
