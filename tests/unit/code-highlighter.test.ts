import { describe, expect, it } from 'vitest';
import { highlightCode } from '@/client/code-highlighter';

describe('highlightCode', () => {
  it('highlights a language by its name or any alias highlight.js gives it, whatever the case', async () => {
    for (const language of ['typescript', 'ts', 'TSX']) {
      expect(await highlightCode('const answer: number = 42;', language)).toContain(
        '<span class="hljs-keyword">const</span>',
      );
    }
    expect(await highlightCode('def f():\n  return 1', 'py')).toContain(
      '<span class="hljs-keyword">def</span>',
    );
  });

  it('highlights the languages a language embeds: the script inside an HTML block', async () => {
    const html = await highlightCode('<div></div><script>const a = 1;</script>', 'html');
    expect(html).toContain('<span class="hljs-tag">');
    expect(html).toContain('<span class="hljs-keyword">const</span>');
  });

  it('leaves unknown languages, and names that are only object keys, unhighlighted', async () => {
    for (const language of ['no-such-language', 'constructor', '__proto__', 'toString', '', undefined]) {
      expect(await highlightCode('a < b', language)).toBeNull();
    }
  });

  it('escapes the code it highlights', async () => {
    expect(await highlightCode('"<img src=x onerror=alert(1)>"', 'js')).not.toContain('<img');
  });
});
