import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_BETTER_AUTH_SECRET, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY } from '@/env';
import { whenAppReady } from '../helpers/app-readiness';
import { buildNextApp } from '../helpers/next-app';
import { secretCanaries } from '../helpers/secret-canaries';

const root = path.resolve(import.meta.dirname, '../..');
/** The browser tests' production build, when this run made one (tests/helpers/e2e-setup.ts). */
const sharedBuild = inject('productionBuild');

/** Text that exists only in server modules: its presence in a chunk means server code was bundled. */
const serverOnlyMarkers = [
  'Cross-origin request refused', // src/server/trpc.ts
  'is the public demo value; set a real secret', // src/env.ts
  'Realtime broadcast timed out', // src/server/chat-engine/delta-publisher.ts
  'postgresql://', // a connection string default
];

async function clientChunks(dir: string): Promise<{ file: string; text: string }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && /\.(js|mjs|css|json|html)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(file, 'utf8') })));
}

describe('the client bundle of a production build', () => {
  let chunks: { file: string; text: string }[] = [];
  const secretValues = sharedBuild.dir ? sharedBuild.secrets : Object.values(secretCanaries);

  beforeAll(async () => {
    let distDir = sharedBuild.dir;
    if (distDir) {
      await whenAppReady(inject('appReadinessUrl'));
    } else {
      // No shared build in this run (E2E_NEXT=dev): one of its own, the canaries in its environment.
      distDir = '.next/e2e-build';
      const logs: string[] = [];
      try {
        await buildNextApp(distDir, (line) => logs.push(line), secretCanaries);
      } catch (error) {
        console.error(logs.join('\n'));
        throw error;
      }
    }
    chunks = await clientChunks(path.join(root, distDir, 'static'));
  }, 900_000);

  it('has client chunks to scan', () => {
    expect(chunks.filter((chunk) => chunk.file.endsWith('.js')).length).toBeGreaterThan(5);
  });

  it('contains no secret: service-role key, JWT secret, BETTER_AUTH_SECRET, provider keys (set or demo defaults)', () => {
    const secrets = [...secretValues, DEMO_SERVICE_ROLE_KEY, DEMO_JWT_SECRET, DEMO_BETTER_AUTH_SECRET];
    const leaks = chunks.flatMap((chunk) =>
      secrets.filter((secret) => chunk.text.includes(secret)).map((secret) => `${secret} in ${chunk.file}`),
    );
    expect(leaks).toEqual([]);
  });

  it('names no server secret variable and holds no server module', () => {
    // BETTER_AUTH_SECRET is left out: better-auth's browser client carries its shared env reader, which
    // names it (no value: the canary test above covers that).
    const names = [
      'SUPABASE_SERVICE_ROLE_KEY',
      'SUPABASE_JWT_SECRET',
      'AI_API_KEY',
      'OPENAI_API_KEY',
      'ANTHROPIC_API_KEY',
    ];
    const found = chunks.flatMap((chunk) =>
      [...names, ...serverOnlyMarkers]
        .filter((text) => chunk.text.includes(text))
        .map((text) => `${text} in ${chunk.file}`),
    );
    expect(found).toEqual([]);
  });
});
