'use client';

import { type RefObject, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

export interface StickToBottom {
  /** Pins the view to the end again and scrolls there. */
  scrollToBottom(): void;
  /** The user has scrolled well up from the end (offer a way back). */
  awayFromBottom: boolean;
}

/**
 * Keeps a scroll container pinned to its end while content grows, until the user scrolls up; scrolling
 * back to the end re-engages it. `version` changes whenever the content may have grown.
 */
export function useStickToBottom(ref: RefObject<HTMLElement | null>, version: unknown): StickToBottom {
  const stuck = useRef(true);
  const [awayFromBottom, setAwayFromBottom] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const onScroll = () => {
      const distance = element.scrollHeight - element.scrollTop - element.clientHeight;
      stuck.current = distance < 48;
      setAwayFromBottom(distance > 160);
    };
    // A gesture upwards lets go at once: waiting for its scroll event could lose a race with a delta that
    // arrives in the same frame and pins the view back down.
    const onWheel = (event: WheelEvent) => {
      if (event.deltaY < 0) stuck.current = false;
    };
    const onKey = (event: KeyboardEvent) => {
      if (['PageUp', 'ArrowUp', 'Home'].includes(event.key)) stuck.current = false;
    };
    const onTouch = () => {
      stuck.current = false;
    };
    // The reply is revealed smoothly, frame by frame, between deltas (use-smooth-text.ts): follow the
    // content's height, not only the moments new text arrives.
    const follow = new ResizeObserver(() => {
      if (stuck.current) element.scrollTop = element.scrollHeight;
    });
    for (const child of element.children) follow.observe(child);
    element.addEventListener('scroll', onScroll, { passive: true });
    element.addEventListener('wheel', onWheel, { passive: true });
    element.addEventListener('keydown', onKey);
    element.addEventListener('touchstart', onTouch, { passive: true });
    return () => {
      follow.disconnect();
      element.removeEventListener('scroll', onScroll);
      element.removeEventListener('wheel', onWheel);
      element.removeEventListener('keydown', onKey);
      element.removeEventListener('touchstart', onTouch);
    };
  }, [ref]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the trigger
  useLayoutEffect(() => {
    const element = ref.current;
    if (element && stuck.current) element.scrollTop = element.scrollHeight;
  }, [version, ref]);
  const scrollToBottom = useCallback(() => {
    stuck.current = true;
    const element = ref.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [ref]);
  return { scrollToBottom, awayFromBottom };
}
