'use client';

/** An unexpected failure while rendering a signed-in page: say so plainly and offer to try again. */
export default function SignedInError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <main className="not-found" role="alert">
      <h1>Something went wrong</h1>
      <p className="muted">
        {error.message || 'The page could not be loaded.'}
        {error.digest ? ` (reference ${error.digest})` : ''}
      </p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </main>
  );
}
