'use client';

import { useLayoutEffect, useRef, useState } from 'react';
import { TextReveal } from './text-reveal';

/**
 * A streaming reply's text revealed at a steady pace between its deltas (see TextReveal). A reply that is not
 * streaming, or a tab the user cannot see, shows its whole text at once: the end of a finished reply is
 * never held back.
 */
export function useSmoothText(text: string, streaming: boolean): string {
  const reveal = useRef<TextReveal | null>(null);
  reveal.current ??= new TextReveal(text);
  const [shown, setShown] = useState(text);

  // Before paint: the text a delta brings starts showing in the frame it arrives in, not one frame later.
  useLayoutEffect(() => {
    const current = reveal.current;
    if (!current) return;
    if (!streaming || document.hidden) {
      reveal.current = new TextReveal(text);
      setShown(text);
      return;
    }
    const now = performance.now();
    current.update(text, now);
    setShown(current.frame(now));
    let frame = 0;
    const tick = (now: number) => {
      setShown(current.frame(now));
      if (!current.caughtUp) frame = requestAnimationFrame(tick);
    };
    if (!current.caughtUp) frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [text, streaming]);

  return streaming ? shown : text;
}
