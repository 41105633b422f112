'use client';

import { type RefObject, useCallback, useEffect, useLayoutEffect, useRef } from 'react';

/**
 * Keeps a scroll container pinned to its end while content grows, until the user scrolls up; scrolling
 * back to the end re-engages it. `version` changes whenever the content may have grown.
 */
export function useStickToBottom(ref: RefObject<HTMLElement | null>, version: unknown): () => void {
  const stuck = useRef(true);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const onScroll = () => {
      const distance = element.scrollHeight - element.scrollTop - element.clientHeight;
      stuck.current = distance < 48;
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => element.removeEventListener('scroll', onScroll);
  }, [ref]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the trigger
  useLayoutEffect(() => {
    const element = ref.current;
    if (element && stuck.current) element.scrollTop = element.scrollHeight;
  }, [version, ref]);
  return useCallback(() => {
    stuck.current = true;
    const element = ref.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [ref]);
}
