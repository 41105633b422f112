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

/**
 * The text to show a person for a failed call: the server's message when it has one. A validation failure's
 * message names the input keys ("name: Name is empty"), so the field messages are shown without them.
 */
export function errorMessage(cause: unknown, fallback: string): string {
  const fieldMessages = Object.values(fieldErrorsOf(cause));
  if (fieldMessages.length > 0) return fieldMessages.join(' ');
  return cause instanceof Error && cause.message ? cause.message : fallback;
}
