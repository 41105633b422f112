import type { ReactNode } from 'react';

/**
 * A wide admin table's own horizontal scroll box. Focusable and named, so a keyboard user can scroll it too
 * (axe: scrollable-region-focusable).
 */
export function TableScroll({
  label,
  hidden,
  children,
}: {
  label: string;
  hidden: boolean;
  children: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to scroll by keyboard
    // biome-ignore lint/a11y/useSemanticElements: a <section> would take the settings sections' card style
    <div className="admin-table-wrap" role="region" aria-label={label} tabIndex={0} hidden={hidden}>
      {children}
    </div>
  );
}
