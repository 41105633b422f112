import 'server-only';

/**
 * ts_headline wraps each hit in these two private-use characters (stripped from the text beforehand, so
 * any found afterwards are ours). The client gets plain text plus ranges and never renders markup from
 * user content.
 */
export const HIT_START = '\uE000';
export const HIT_END = '\uE001';

export interface HighlightedText {
  text: string;
  /** Hits as [start, end) offsets into `text`, in JavaScript string units, in order. */
  highlights: { start: number; end: number }[];
}

export function parseHighlightMarkers(marked: string): HighlightedText {
  let text = '';
  const highlights: HighlightedText['highlights'] = [];
  let start: number | null = null;
  for (const char of marked) {
    if (char === HIT_START) start = text.length;
    else if (char === HIT_END) {
      if (start !== null && text.length > start) highlights.push({ start, end: text.length });
      start = null;
    } else text += char;
  }
  return { text, highlights };
}
