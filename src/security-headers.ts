/**
 * The response headers every page and route carries (applied in next.config.ts). Plain data, no imports: the
 * Next config loads this file outside the app's bundles.
 */
export interface SecurityHeaderOptions {
  production: boolean;
  /** NEXT_PUBLIC_SUPABASE_URL: the browser opens its realtime websocket there. */
  realtimeUrl: string;
}

/** The realtime server's origin as the browser reaches it: https/wss (or http/ws locally). */
function realtimeSources(realtimeUrl: string): string[] {
  const url = new URL(realtimeUrl);
  const socket = new URL(url.origin);
  socket.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return [url.origin, socket.origin];
}

export function contentSecurityPolicy({ production, realtimeUrl }: SecurityHeaderOptions): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // Next's inline bootstrap scripts and the theme script need 'unsafe-inline'; only React's development
    // build needs eval (for its error overlays and stack traces), never production.
    'script-src': ["'self'", "'unsafe-inline'", ...(production ? [] : ["'unsafe-eval'"])],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...realtimeSources(realtimeUrl)],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

export function securityHeaders(options: SecurityHeaderOptions): { key: string; value: string }[] {
  return [
    { key: 'Content-Security-Policy', value: contentSecurityPolicy(options) },
    // Browsers honour HSTS only over HTTPS; sent in production, where the app is served over HTTPS.
    ...(options.production
      ? [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }]
      : []),
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
  ];
}
