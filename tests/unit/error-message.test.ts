import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { errorMessage, isNetworkFailure } from '@/client/error-message';

describe('errorMessage', () => {
  it("says the server cannot be reached instead of the browser's 'Failed to fetch'", () => {
    const unreachable = new TRPCClientError('Failed to fetch', { cause: new TypeError('Failed to fetch') });
    expect(isNetworkFailure(unreachable)).toBe(true);
    expect(errorMessage(unreachable, 'Search failed')).toBe(
      'Cannot reach ChatTwelve: check your connection.',
    );
  });

  it("keeps the server's own message, even one that mentions the network", () => {
    const answered = TRPCClientError.from({
      error: {
        message: 'The network of the AI provider timed out',
        code: -32603,
        data: { code: 'INTERNAL_SERVER_ERROR' },
      },
    });
    expect(isNetworkFailure(answered)).toBe(false);
    expect(errorMessage(answered, 'fallback')).toBe('The network of the AI provider timed out');
  });

  it('shows field messages without their input keys', () => {
    const invalid = TRPCClientError.from({
      error: {
        message: 'name: Name is empty',
        code: -32600,
        data: { code: 'BAD_REQUEST', fieldErrors: { name: ['Name is empty'], content: ['Too long'] } },
      },
    });
    expect(errorMessage(invalid, 'fallback')).toBe('Name is empty Too long');
  });
});
