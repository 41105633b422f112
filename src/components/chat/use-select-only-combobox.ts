'use client';

import { type KeyboardEvent, useCallback, useRef, useState } from 'react';

/** Typed letters within this time form one search ("fa" finds "fake-model"), as in a native select. */
const TYPE_AHEAD_MS = 600;
const PAGE_STEP = 10;

export interface SelectOnlyCombobox {
  open: boolean;
  /** The option the keyboard is on while open (aria-activedescendant); -1 when closed. */
  activeIndex: number;
  toggle(): void;
  close(): void;
  setActive(index: number): void;
  pick(index: number): void;
  onKeyDown(event: KeyboardEvent): void;
}

/**
 * The keyboard of the WAI-ARIA select-only combobox (APG "Select-Only Combobox"): focus stays on the
 * combobox and the listbox's active option is announced through aria-activedescendant, so closing never has
 * to hand focus back. Closed: ↓ ↑ Enter Space open, Home End open at the ends, a letter opens at the first
 * match. Open: ↓ ↑ Home End PageUp PageDown move, Enter Space Alt+↑ pick, Escape closes, Tab closes and moves on.
 */
export function useSelectOnlyCombobox({
  names,
  selectedIndex,
  onPick,
}: {
  names: readonly string[];
  selectedIndex: number;
  onPick(index: number): void;
}): SelectOnlyCombobox {
  const [open, setOpen] = useState(false);
  const [activeIndex, setActiveIndex] = useState(-1);
  const typed = useRef({ text: '', at: 0 });
  const last = names.length - 1;
  const clamp = (index: number) => Math.min(Math.max(index, 0), last);

  function openAt(index: number) {
    setActiveIndex(clamp(index));
    setOpen(true);
  }
  // Stable, so the picker's outside-press listener is not re-added on every render while open.
  const close = useCallback(() => {
    setOpen(false);
    setActiveIndex(-1);
  }, []);
  function pick(index: number) {
    close();
    if (index >= 0 && index <= last) onPick(index);
  }

  /** The next option starting with what was typed; a repeated single letter cycles through its matches. */
  function typeAhead(letter: string, from: number): number | null {
    const now = Date.now();
    const text = now - typed.current.at < TYPE_AHEAD_MS ? typed.current.text + letter : letter;
    typed.current = { text, at: now };
    const search = text.toLowerCase();
    const repeated = [...search].every((char) => char === search[0]);
    const start = from + (search.length === 1 || repeated ? 1 : 0);
    for (let step = 0; step < names.length; step++) {
      const index = (start + step) % names.length;
      const name = names[index]?.toLowerCase() ?? '';
      if (name.startsWith(search) || (repeated && name.startsWith(search[0] ?? ''))) return index;
    }
    return null;
  }

  function onKeyDown(event: KeyboardEvent) {
    if (names.length === 0) return;
    const { key, altKey, ctrlKey, metaKey } = event;
    const current = open ? activeIndex : clamp(selectedIndex);
    let handled = true;
    if (!open) {
      if (key === 'ArrowDown' || key === 'ArrowUp' || key === 'Enter' || key === ' ') openAt(current);
      else if (key === 'Home') openAt(0);
      else if (key === 'End') openAt(last);
      else handled = false;
    } else if (key === 'ArrowDown') setActiveIndex(clamp(current + 1));
    else if (key === 'ArrowUp') {
      if (altKey) pick(current);
      else setActiveIndex(clamp(current - 1));
    } else if (key === 'Home') setActiveIndex(0);
    else if (key === 'End') setActiveIndex(last);
    else if (key === 'PageDown') setActiveIndex(clamp(current + PAGE_STEP));
    else if (key === 'PageUp') setActiveIndex(clamp(current - PAGE_STEP));
    else if (key === 'Enter' || key === ' ') pick(current);
    else if (key === 'Escape') close();
    else if (key === 'Tab') {
      close();
      handled = false;
    } else handled = false;

    if (!handled && key.length === 1 && key !== ' ' && !altKey && !ctrlKey && !metaKey) {
      const match = typeAhead(key, current);
      if (match !== null) openAt(match);
      handled = true;
    }
    if (handled) {
      event.preventDefault();
      // Escape and the arrows belong to the picker, not to the page's own shortcuts.
      event.stopPropagation();
    }
  }

  return {
    open,
    activeIndex,
    toggle: () => (open ? close() : openAt(selectedIndex)),
    close,
    setActive: (index) => setActiveIndex(clamp(index)),
    pick,
    onKeyDown,
  };
}
