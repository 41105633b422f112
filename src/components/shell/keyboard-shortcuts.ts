'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

export function focusComposer(): void {
  document.querySelector<HTMLTextAreaElement>('[data-testid="composer"]')?.focus();
}

export function useKeyboardShortcuts(toggleSidebar: () => void): void {
  const router = useRouter();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && event.shiftKey && key === 'o') {
        event.preventDefault();
        router.push('/');
        setTimeout(focusComposer, 50);
      } else if (mod && event.shiftKey && key === 's') {
        event.preventDefault();
        toggleSidebar();
      } else if (event.shiftKey && event.key === 'Escape') {
        event.preventDefault();
        focusComposer();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [router, toggleSidebar]);
}
