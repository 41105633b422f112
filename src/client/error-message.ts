import { TRPCClientError } from '@trpc/client';

/** The first message the server gave for each invalid input field (from the error formatter's fieldErrors). */
export function fieldErrorsOf(cause: unknown): Partial<Record<string, string>> {
  if (!(cause instanceof TRPCClientError)) return {};
  const fieldErrors: unknown = cause.data?.fieldErrors;
  if (!fieldErrors || typeof fieldErrors !== 'object') return {};
  const first: Partial<Record<string, string>> = {};
  for (const [field, messages] of Object.entries(fieldErrors)) {
    if (Array.isArray(messages) && typeof messages[0] === 'string') first[field] = messages[0];
  }
  return first;
}

/** A failure that means "the request never reached the server" rather than "the server said no". */
export function isNetworkFailure(error: unknown): boolean {
  // The server answered (its error shape came back): whatever its message says, the network worked.
  if (error instanceof TRPCClientError && error.data) return false;
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /Failed to fetch|NetworkError|Load failed|network/i.test(message);
}

/**
 * The text to show a person for a failed call: the server's message when it has one. A validation failure's
 * message names the input keys ("name: Name is empty"), so the field messages are shown without them; a
 * request that never reached the server says so, not the browser's "Failed to fetch".
 */
export function errorMessage(cause: unknown, fallback: string): string {
  if (isNetworkFailure(cause)) return 'Cannot reach ChatTwelve: check your connection.';
  const fieldMessages = Object.values(fieldErrorsOf(cause));
  if (fieldMessages.length > 0) return fieldMessages.join(' ');
  return cause instanceof Error && cause.message ? cause.message : fallback;
}
