import { initialsOf } from './initials-of';

/**
 * A person's picture, or their initials when they have none. Decorative: it always sits beside the name or
 * email it belongs to, which is what a screen reader reads.
 */
export function UserAvatar({
  url,
  name,
  className,
  testId,
}: {
  url: string | null;
  /** Their name, else their email: the initials come from it. */
  name: string;
  /** Sizes the circle (e.g. small-avatar); the picture and the initials share it. */
  className: string;
  testId?: string;
}) {
  if (url) {
    return (
      // biome-ignore lint/performance/noImgElement: a signed link to our own avatar route, already square
      <img className={`avatar ${className}`} src={url} alt="" data-testid={testId} />
    );
  }
  return (
    <span
      className={`avatar avatar-initials ${className}`}
      aria-hidden="true"
      data-testid={testId ? `${testId}-initials` : undefined}
    >
      {initialsOf(name)}
    </span>
  );
}
