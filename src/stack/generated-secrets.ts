import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';

/** The secrets production refuses to run with as demo values, freshly made and consistent with each other. */
export interface GeneratedSecrets {
  SUPABASE_JWT_SECRET: string;
  NEXT_PUBLIC_SUPABASE_ANON_KEY: string;
  SUPABASE_SERVICE_ROLE_KEY: string;
  BETTER_AUTH_SECRET: string;
}

const TEN_YEARS_SECONDS = 10 * 365 * 24 * 3600;

/** An API key as Supabase issues them: an HS256 JWT of `role`, signed with the project's JWT secret. */
function apiKey(role: 'anon' | 'service_role', jwtSecret: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role, iss: 'chattwelve' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + TEN_YEARS_SECONDS)
    .sign(new TextEncoder().encode(jwtSecret));
}

/**
 * For the embedded stack (our realtime server verifies with SUPABASE_JWT_SECRET). With hosted Supabase, take
 * the project's own JWT secret and keys instead, and only BETTER_AUTH_SECRET from here.
 */
export async function generateSecrets(): Promise<GeneratedSecrets> {
  const jwtSecret = randomBytes(48).toString('base64url');
  return {
    SUPABASE_JWT_SECRET: jwtSecret,
    NEXT_PUBLIC_SUPABASE_ANON_KEY: await apiKey('anon', jwtSecret),
    SUPABASE_SERVICE_ROLE_KEY: await apiKey('service_role', jwtSecret),
    BETTER_AUTH_SECRET: randomBytes(48).toString('base64url'),
  };
}
