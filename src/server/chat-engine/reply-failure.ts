import 'server-only';
import { APICallError } from 'ai';

/** Why a reply ended in `error`, as stored in its metadata and shown to the user. */
export interface ReplyFailure {
  code:
    | 'provider_rate_limited'
    | 'provider_auth'
    | 'provider_error'
    | 'provider_unreachable'
    | 'provider_stalled'
    | 'provider_disconnected';
  reason: string;
}

/** The provider said nothing for too long (before the first token or between two). */
export class ProviderStallError extends Error {
  constructor(readonly silentMs: number) {
    super(`The AI provider sent nothing for ${Math.round(silentMs / 1000)} s`);
    this.name = 'ProviderStallError';
  }
}

/** The provider's stream ended without saying it was finished. */
export const disconnectedFailure: ReplyFailure = {
  code: 'provider_disconnected',
  reason: 'The connection to the AI provider ended before the reply was complete.',
};

function innermost(error: unknown): unknown {
  // RetryError keeps the real cause as lastError; fetch keeps the socket error as cause.
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    const next = (current as { lastError?: unknown })?.lastError;
    if (!next) break;
    current = next;
  }
  return current;
}

function providerMessage(error: APICallError): string {
  try {
    const body = JSON.parse(error.responseBody ?? '') as { error?: { message?: string }; message?: string };
    return body.error?.message ?? body.message ?? error.message;
  } catch {
    return error.message;
  }
}

/** A sentence a person can act on, from whatever the AI SDK or the network threw. */
export function describeReplyFailure(error: unknown): ReplyFailure {
  const cause = innermost(error);
  if (cause instanceof ProviderStallError) {
    return { code: 'provider_stalled', reason: `${cause.message}; the reply was cut off there.` };
  }
  if (APICallError.isInstance(cause)) {
    const status = cause.statusCode;
    // A 2xx whose body broke off: the stream was cut after it had started.
    if (status !== undefined && status >= 200 && status < 300) return disconnectedFailure;
    const said = providerMessage(cause);
    if (status === 429) {
      return {
        code: 'provider_rate_limited',
        reason: `The AI provider is rate limiting requests (HTTP 429: ${said}). Try again in a moment.`,
      };
    }
    if (status === 401 || status === 403) {
      return {
        code: 'provider_auth',
        reason: `The AI provider refused the API key (HTTP ${status}: ${said}).`,
      };
    }
    if (status === undefined) {
      return { code: 'provider_unreachable', reason: `Could not reach the AI provider: ${said}.` };
    }
    return { code: 'provider_error', reason: `The AI provider failed (HTTP ${status}: ${said}).` };
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  if (/terminated|ECONNRESET|socket hang up|other side closed|premature close/i.test(message)) {
    return disconnectedFailure;
  }
  if (/ECONNREFUSED|ENOTFOUND|fetch failed|EAI_AGAIN/i.test(message)) {
    return { code: 'provider_unreachable', reason: `Could not reach the AI provider (${message}).` };
  }
  return { code: 'provider_error', reason: `The AI provider failed: ${message}` };
}
