'use client';

/** A moment in the reader's own locale and time zone (the server renders its own; the browser corrects it). */
export function LocalTime({ value }: { value: Date }) {
  return (
    <time dateTime={value.toISOString()} suppressHydrationWarning>
      {value.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}
    </time>
  );
}
