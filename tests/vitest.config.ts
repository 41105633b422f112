import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const root = path.resolve(import.meta.dirname, '..');

/**
 * Runs the browser tests after all others: their app is built in the background meanwhile
 * (tests/helpers/e2e-setup.ts), so the build overlaps the other tests instead of delaying them all. (Here,
 * not in a helper file: the config is loaded before TypeScript imports without extensions resolve.)
 */
class E2eLastSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isBrowserTest = (file: TestSpecification) => file.moduleId.includes('/tests/e2e/');
    return [...sorted.filter((file) => !isBrowserTest(file)), ...sorted.filter(isBrowserTest)];
  }
}

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
