import remend from 'remend';

/** A table's header row is on its own until its delimiter row (`| --- |`) is complete. */
function isUnfinishedTable(block: string): boolean {
  const lines = block.split('\n');
  return lines[0]?.trimStart().startsWith('|') === true && lines.length < 3;
}

/** Closes an inline code span left open at the end (a run of backticks outside fenced code). */
function closeInlineCode(block: string): string {
  if (/^\s{0,3}(`{3,}|~{3,})/m.test(block)) return block;
  const trimmed = block.replace(/`{1,2}$/, (run) => (block.length === run.length ? '' : run));
  const withoutTrailingRun = /[^`]`{1,2}$/.test(trimmed) ? trimmed.replace(/`{1,2}$/, '') : trimmed;
  const singles = withoutTrailingRun.match(/(?<!`)`(?!`)/g)?.length ?? 0;
  return singles % 2 === 1 ? `${withoutTrailingRun}\`` : withoutTrailingRun;
}

/** An emphasis marker run with nothing after it yet (`Use **`): remend leaves it, and it would show as text. */
function dropBareOpeningMarkers(block: string): string {
  return block.replace(/(^|\s)[*_~]+$/, '$1');
}

/**
 * The last block of a reply that is still being written, as markdown that renders without its unfinished
 * syntax: an open `**bold`, `_em`, `` `code ``, `[link](` or `~~strike` is closed (remend, the completion
 * Vercel's streamdown uses), and a table waits for its delimiter row instead of flashing `| a | b |`.
 */
export function hideUnfinishedMarkdown(block: string): string {
  if (isUnfinishedTable(block)) return '';
  // The code span first: dropping a lone trailing backtick can leave a marker bare (`Use **` from `Use **\``).
  return remend(dropBareOpeningMarkers(closeInlineCode(block)), { linkMode: 'text-only', images: false });
}
