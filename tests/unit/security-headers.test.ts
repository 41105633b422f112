import { afterEach, describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy, securityHeaders } from '@/security-headers';

function header(headers: { key: string; value: string }[], key: string) {
  return headers.find((h) => h.key === key)?.value;
}

const hosted = { production: true, realtimeUrl: 'https://abcd.supabase.co' };

describe('security headers', () => {
  it('allow no eval in production, and let the browser reach only its own origin and the realtime server', () => {
    const csp = contentSecurityPolicy(hosted);
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("connect-src 'self' https://abcd.supabase.co wss://abcd.supabase.co");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("default-src 'self'");
  });

  it('allow eval only to React in development, and the local realtime server over ws', () => {
    const csp = contentSecurityPolicy({ production: false, realtimeUrl: 'http://127.0.0.1:54321' });
    expect(csp).toContain("'unsafe-eval'");
    expect(csp).toContain('ws://127.0.0.1:54321');
  });

  it('send HSTS in production, nosniff and no framing always', () => {
    const production = securityHeaders(hosted);
    expect(header(production, 'Strict-Transport-Security')).toBe('max-age=63072000; includeSubDomains');
    const development = securityHeaders({ production: false, realtimeUrl: 'http://127.0.0.1:54321' });
    expect(header(development, 'Strict-Transport-Security')).toBeUndefined();
    for (const headers of [production, development]) {
      expect(header(headers, 'X-Content-Type-Options')).toBe('nosniff');
      expect(header(headers, 'X-Frame-Options')).toBe('DENY');
    }
  });
});

describe('next.config.ts', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('applies them to every path, with the production policy in a production build', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.stubEnv('NEXT_PUBLIC_SUPABASE_URL', 'https://abcd.supabase.co');
    const { default: config } = await import('../../next.config');
    const rules = (await config.headers?.()) ?? [];
    expect(rules.map((rule) => rule.source)).toEqual(['/:path*', '/api/avatars/:userId']);
    const headers = rules[0]?.headers ?? [];
    expect(header(headers, 'Content-Security-Policy')).toBe(contentSecurityPolicy(hosted));
    expect(header(headers, 'Strict-Transport-Security')).toBeDefined();
  });

  it('gives served avatars their own sandboxing policy, listed last so it wins over the global one', async () => {
    const { default: config } = await import('../../next.config');
    const rules = (await config.headers?.()) ?? [];
    const avatar = rules.at(-1);
    expect(avatar?.source).toBe('/api/avatars/:userId');
    expect(header(avatar?.headers ?? [], 'Content-Security-Policy')).toBe("default-src 'none'; sandbox");
  });
});
