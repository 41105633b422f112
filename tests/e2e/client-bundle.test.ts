import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BETTER_AUTH_SECRET, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY } from '@/env';
import { buildNextApp } from '../helpers/next-app';

const root = path.resolve(import.meta.dirname, '../..');
const distDir = '.next/e2e-build';

/** Secrets with values no client code could produce by chance, so finding one means it leaked. */
const canaries = {
  SUPABASE_SERVICE_ROLE_KEY: 'canary-service-role-key-7f3a9c1e5b2d4680',
  SUPABASE_JWT_SECRET: 'canary-jwt-secret-0b8e2f6a4c9d1357-at-least-32-characters',
  BETTER_AUTH_SECRET: 'canary-better-auth-secret-5d1c9e7a3f2b8046-32-characters',
  AI_API_KEY: 'canary-ai-api-key-2e4f6a8c0b1d3579',
  OPENAI_API_KEY: 'sk-canary-openai-4a6c8e0f2b4d6813',
  ANTHROPIC_API_KEY: 'sk-ant-canary-anthropic-9c7e5a3f1d2b4680',
};

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

  beforeAll(async () => {
    const logs: string[] = [];
    // The secrets are in the build's environment, as a careless deployment would have them.
    try {
      await buildNextApp(distDir, (line) => logs.push(line), canaries);
    } catch (error) {
      console.error(logs.join('\n'));
      throw error;
    }
    chunks = await clientChunks(path.join(root, distDir, 'static'));
  }, 300_000);

  it('has client chunks to scan', () => {
    expect(chunks.filter((chunk) => chunk.file.endsWith('.js')).length).toBeGreaterThan(5);
  });

  it('contains no secret: service-role key, JWT secret, BETTER_AUTH_SECRET, provider keys (set or demo defaults)', () => {
    const secrets = [
      ...Object.values(canaries),
      DEMO_SERVICE_ROLE_KEY,
      DEMO_JWT_SECRET,
      DEMO_BETTER_AUTH_SECRET,
    ];
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
