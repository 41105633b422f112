import { compactVerify, errors } from 'jose';

/** The claims of a verified token; `role` names the Postgres role RLS is evaluated as. */
export interface VerifiedClaims {
  role: string;
  exp: number;
  sub?: string;
  [claim: string]: unknown;
}

export type TokenFailureCode = 'InvalidJWTToken' | 'MalformedJWT' | 'JwtSignatureError';

export type TokenVerification =
  | { ok: true; claims: VerifiedClaims }
  | { ok: false; code: TokenFailureCode; message: string };

const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
const textDecoder = new TextDecoder();

/**
 * Verifies tokens the way Supabase Realtime does (HS* with the project secret; `role` and `exp` required;
 * `aud`/`iss` not checked). Verified tokens are remembered until they expire, so the REST path a chat stream
 * hits 20 times a second costs one HMAC per distinct token, not per request.
 */
export class JwtVerifier {
  private readonly key: Uint8Array;
  private readonly verified = new Map<string, VerifiedClaims>();

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async verify(rawToken: string, nowMs = Date.now()): Promise<TokenVerification> {
    const token = cleanToken(rawToken);
    const remembered = this.verified.get(token);
    if (remembered) return checkClaims(remembered, nowMs);
    if (token.split('.').length !== 3) return malformed();

    let payload: Uint8Array;
    try {
      ({ payload } = await compactVerify(token, this.key, { algorithms: HMAC_ALGORITHMS }));
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed) {
        return { ok: false, code: 'JwtSignatureError', message: 'Failed to validate JWT signature' };
      }
      return malformed();
    }
    let claims: unknown;
    try {
      claims = JSON.parse(textDecoder.decode(payload));
    } catch {
      return malformed();
    }
    if (!claims || typeof claims !== 'object' || Array.isArray(claims)) return malformed();
    const result = checkClaims(claims as VerifiedClaims, nowMs);
    if (result.ok) this.remember(token, result.claims);
    return result;
  }

  private remember(token: string, claims: VerifiedClaims): void {
    // A long-lived server sees many short-lived user tokens: drop the expired ones now and then.
    if (this.verified.size >= 10_000) {
      const nowSeconds = Date.now() / 1000;
      for (const [key, value] of this.verified) if (value.exp <= nowSeconds) this.verified.delete(key);
      if (this.verified.size >= 10_000) this.verified.clear();
    }
    this.verified.set(token, claims);
  }
}

function checkClaims(claims: VerifiedClaims, nowMs: number): TokenVerification {
  const exp = claims.exp;
  if (exp !== undefined && typeof exp !== 'number') return malformed();
  if (claims.iat !== undefined && typeof claims.iat !== 'number') return malformed();
  if (typeof exp === 'number' && exp * 1000 <= nowMs) {
    const ago = Math.floor(nowMs / 1000 - exp);
    return { ok: false, code: 'InvalidJWTToken', message: `Token has expired ${ago} seconds ago` };
  }
  if (typeof claims.role !== 'string' || typeof exp !== 'number') {
    return { ok: false, code: 'InvalidJWTToken', message: 'Fields `role` and `exp` are required in JWT' };
  }
  return { ok: true, claims };
}

function malformed(): TokenVerification {
  return { ok: false, code: 'MalformedJWT', message: 'The token provided is not a valid JWT' };
}

/** Supabase strips whitespace and URL-encoding a proxy or a hand-built URL may have added. */
function cleanToken(token: string): string {
  let cleaned = token.replace(/\s+/g, '');
  if (cleaned.includes('%')) {
    try {
      cleaned = decodeURIComponent(cleaned);
    } catch {
      // not URL-encoded after all; verification will judge it
    }
  }
  return cleaned;
}
