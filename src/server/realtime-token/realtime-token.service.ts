import 'server-only';
import { SignJWT } from 'jose';

/** How long a realtime token lives; the browser renews it before then (src/client/realtime-client.ts). */
export const REALTIME_TOKEN_LIFETIME_SECONDS = 10 * 60;

export interface RealtimeToken {
  token: string;
  /** Expiry as epoch milliseconds. */
  expiresAt: number;
}

/**
 * The JWT the browser's supabase client presents to Realtime: the claims RLS policies read
 * (`auth.jwt() ->> 'sub'`, role `authenticated`), signed HS256 with the project's JWT secret as hosted
 * Supabase verifies it. Short-lived, so a revoked session loses realtime access within minutes.
 */
export async function mintRealtimeToken(
  userId: string,
  secret: string,
  now = new Date(),
): Promise<RealtimeToken> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + REALTIME_TOKEN_LIFETIME_SECONDS;
  const token = await new SignJWT({ role: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setAudience('authenticated')
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(secret));
  return { token, expiresAt: expiresAt * 1000 };
}
