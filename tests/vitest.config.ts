import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { E2eLastSequencer } from './helpers/e2e-last-sequencer';

const root = path.resolve(import.meta.dirname, '..');

export default defineConfig({
  root,
  resolve: {
    alias: {
      '@': path.join(root, 'src'),
      // Server modules guard themselves with `import 'server-only'`; tests run them on the server.
      'server-only': path.join(root, 'node_modules/server-only/empty.js'),
    },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    setupFiles: ['tests/helpers/test-env.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // 2 cores: a few workers share the one stack.
    maxWorkers: 2,
    sequence: { sequencer: E2eLastSequencer },
  },
});
