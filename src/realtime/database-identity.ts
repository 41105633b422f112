import type pg from 'pg';
import type { VerifiedClaims } from './jwt-verifier';

/**
 * Who a channel or request acts as inside Postgres: the JWT's role and claims, applied transaction-locally
 * (`set_config(…, true)`) exactly like Supabase does, so a pooled connection never keeps an identity.
 */
export interface DatabaseIdentity {
  role: string;
  claims: VerifiedClaims;
  /** Same role and claims ⇒ same key ⇒ same RLS answers; used to batch checks. */
  key: string;
}

export function identityOf(claims: VerifiedClaims): DatabaseIdentity {
  return { role: claims.role, claims, key: `${claims.role}\u0000${JSON.stringify(claims)}` };
}

/** SQL (one statement) that applies `identity` for the rest of the current transaction. */
export function applyIdentitySql(identity: DatabaseIdentity, topic?: string): string {
  const literal = (value: string) => escapeLiteral(value);
  const settings = [
    `set_config('role', ${literal(identity.role)}, true)`,
    `set_config('request.jwt.claims', ${literal(JSON.stringify(identity.claims))}, true)`,
    `set_config('request.jwt.claim.sub', ${literal(String(identity.claims.sub ?? ''))}, true)`,
    `set_config('request.jwt.claim.role', ${literal(identity.role)}, true)`,
  ];
  if (topic !== undefined) settings.push(`set_config('realtime.topic', ${literal(topic)}, true)`);
  return `select ${settings.join(', ')}`;
}

/** Same as pg's escapeLiteral (E'' form when backslashes occur), without needing a client instance. */
export function escapeLiteral(value: string): string {
  let hasBackslash = false;
  let escaped = "'";
  for (const char of value) {
    if (char === "'") escaped += "''";
    else if (char === '\\') {
      escaped += '\\\\';
      hasBackslash = true;
    } else escaped += char;
  }
  escaped += "'";
  return hasBackslash ? ` E${escaped}` : escaped;
}

export function escapeIdentifier(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/**
 * Roles that bypass RLS (service_role, superusers) skip every probe. Looked up once per role name, so the
 * service-key REST path needs no database round trip.
 */
export class RoleDirectory {
  private readonly bypassing = new Map<string, Promise<boolean | null>>();

  constructor(private readonly pool: pg.Pool) {}

  /** true: bypasses RLS; false: subject to RLS; null: no such role. */
  bypassesRls(role: string): Promise<boolean | null> {
    let known = this.bypassing.get(role);
    if (!known) {
      known = this.pool
        .query<{ bypass: boolean }>(
          'select rolbypassrls or rolsuper as bypass from pg_roles where rolname = $1',
          [role],
        )
        .then((result) => result.rows[0]?.bypass ?? null);
      known.catch(() => this.bypassing.delete(role));
      this.bypassing.set(role, known);
    }
    return known;
  }
}
