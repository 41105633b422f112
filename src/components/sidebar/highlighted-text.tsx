import type { ReactNode } from 'react';

export interface HighlightedTextValue {
  text: string;
  highlights: { start: number; end: number }[];
}

/** Plain text with its search hits in <mark>: built from ranges, so no markup from the text is ever rendered. */
export function HighlightedText({ value }: { value: HighlightedTextValue }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const { start, end } of value.highlights) {
    if (start < at || end <= start) continue;
    if (start > at) parts.push(value.text.slice(at, start));
    parts.push(<mark key={start}>{value.text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < value.text.length) parts.push(value.text.slice(at));
  return <>{parts}</>;
}
