import 'server-only';
import { isAPIError } from 'better-auth/api';
import type { Auth } from '../auth';
import type { DB } from '../db';
import { NotAllowedError } from '../domain-errors';
import { rateLimitService } from '../rate-limit/rate-limit.service';

/** Code and password guesses through this door, per user. */
const DISABLE_ATTEMPTS = { bucket: 'two_factor.disable', limit: 5, windowSeconds: 15 * 60 };

export interface SignedInRequest {
  db: DB;
  auth: Auth;
  userId: string;
  /** The request's headers (its session cookie), handed to BetterAuth. */
  headers: Headers;
  /** Handed to BetterAuth as x-request-id, so its audit record carries this request's id. */
  requestId: string;
  /** Where BetterAuth's new session cookie goes: turning two-factor off replaces the session. */
  resHeaders: Headers;
}

// isAPIError, not `instanceof APIError`: in a Next build BetterAuth's internals and this module can hold two
// copies of the class, and a wrong code then fell through as a 500.
export const twoFactorService = Object.freeze({
  /**
   * Turns two-factor off only with a current code from the authenticator app and the password: a session
   * alone (a stolen cookie) cannot remove the second factor.
   */
  async disable(
    request: SignedInRequest,
    input: { password: string; code: string },
  ): Promise<{ disabled: true }> {
    await rateLimitService.consume(request.db, request.userId, DISABLE_ATTEMPTS);
    const headers = new Headers(request.headers);
    headers.set('x-request-id', request.requestId);
    try {
      await request.auth.api.verifyTOTP({ body: { code: input.code }, headers });
    } catch (error) {
      if (isAPIError(error)) throw new NotAllowedError('Wrong or expired code');
      throw error;
    }
    try {
      const response = await request.auth.api.disableTwoFactor({
        body: { password: input.password },
        headers,
        returnHeaders: true,
      });
      for (const cookie of response.headers.getSetCookie()) request.resHeaders.append('set-cookie', cookie);
    } catch (error) {
      if (isAPIError(error)) throw new NotAllowedError('Wrong password');
      throw error;
    }
    return { disabled: true };
  },
});
