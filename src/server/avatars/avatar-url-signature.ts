import 'server-only';
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** A key for avatar links only, derived from the app secret (a leaked link key reveals nothing else). */
function signingKey(appSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', appSecret, 'chattwelve', 'avatar-url-signature', 32));
}

function signature(appSecret: string, userId: string, version: string, expires: number): string {
  return createHmac('sha256', signingKey(appSecret))
    .update(`${userId}\n${version}\n${expires}`)
    .digest('base64url');
}

export interface SignedAvatarParams {
  userId: string;
  version: string;
  /** Unix seconds. */
  expires: number;
}

/** `/api/avatars/<user id>?v=<version>&exp=<unix s>&sig=<hmac>`: opens that one picture until `expires`. */
export function signAvatarUrl(appSecret: string, params: SignedAvatarParams): string {
  const sig = signature(appSecret, params.userId, params.version, params.expires);
  const query = new URLSearchParams({ v: params.version, exp: String(params.expires), sig });
  return `/api/avatars/${encodeURIComponent(params.userId)}?${query}`;
}

/** The version the link opens, or null when it is forged, altered or expired. */
export function verifyAvatarUrl(
  appSecret: string,
  userId: string,
  query: URLSearchParams,
  nowSeconds = Math.floor(Date.now() / 1000),
): string | null {
  const version = query.get('v');
  const expires = Number(query.get('exp'));
  const given = Buffer.from(query.get('sig') ?? '');
  if (!version || !Number.isInteger(expires) || expires < nowSeconds) return null;
  const expected = Buffer.from(signature(appSecret, userId, version, expires));
  return given.length === expected.length && timingSafeEqual(given, expected) ? version : null;
}
