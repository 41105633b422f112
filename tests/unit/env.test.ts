import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEMO_ANON_KEY, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY, parseEnv } from '@/env';
import { projectRoot } from '@/stack/project-paths';

const secret = new TextEncoder().encode(DEMO_JWT_SECRET);

describe('environment', () => {
  it("defaults to the Supabase CLI's local values, so dev needs no .env", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBe('postgresql://postgres:postgres@127.0.0.1:54322/postgres');
    expect(env.NEXT_PUBLIC_SUPABASE_URL).toBe('http://127.0.0.1:54321');
    expect(env.APP_URL).toBe('http://localhost:3000');
  });

  it('ships demo keys that really are anon and service_role JWTs signed with the demo secret', async () => {
    expect((await jwtVerify(DEMO_ANON_KEY, secret)).payload).toMatchObject({ role: 'anon' });
    expect((await jwtVerify(DEMO_SERVICE_ROLE_KEY, secret)).payload).toMatchObject({ role: 'service_role' });
  });

  it('refuses the demo secrets in production, naming each', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(
      /SUPABASE_JWT_SECRET[^\n]*demo[\s\S]*SUPABASE_SERVICE_ROLE_KEY[\s\S]*BETTER_AUTH_SECRET/,
    );
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/npm run secrets:generate/);
    const real = {
      NODE_ENV: 'production',
      SUPABASE_JWT_SECRET: 'a'.repeat(40),
      NEXT_PUBLIC_SUPABASE_ANON_KEY: 'anon-key',
      SUPABASE_SERVICE_ROLE_KEY: 'service-key',
      BETTER_AUTH_SECRET: 'b'.repeat(40),
    };
    expect(parseEnv(real).NODE_ENV).toBe('production');
  });

  it('derives APP_URL from PORT unless set, so moving the port moves the allowed origin', () => {
    expect(parseEnv({ PORT: '4123' }).APP_URL).toBe('http://localhost:4123');
    expect(parseEnv({ PORT: '4123', APP_URL: 'https://chat.example.com' }).APP_URL).toBe(
      'https://chat.example.com',
    );
  });

  it('treats an empty line in .env as unset, and names a bad value', () => {
    expect(parseEnv({ AI_BASE_URL: '' }).AI_BASE_URL).toBeUndefined();
    expect(() => parseEnv({ AI_BASE_URL: 'not a url' })).toThrow(/AI_BASE_URL/);
  });

  it('lists every variable in .env.example with the same defaults', async () => {
    const example = await readFile(path.join(projectRoot, '.env.example'), 'utf8');
    const listed = Object.fromEntries(
      example
        .split('\n')
        .map((line) => /^#?\s*([A-Z][A-Z0-9_]+)=(.*)$/.exec(line))
        .filter((match) => match !== null)
        .map((match) => [match[1], match[2]]),
    );
    const defaults = parseEnv({});
    for (const [key, value] of Object.entries(defaults)) {
      if (key === 'NODE_ENV') continue;
      expect(listed, key).toHaveProperty(key);
      expect(String(listed[key]), key).toBe(String(value));
    }
    for (const key of [
      'AI_BASE_URL',
      'AI_API_KEY',
      'AI_MODELS',
      'OPENAI_API_KEY',
      'ANTHROPIC_API_KEY',
      'EMBEDDED_DATA_DIR',
    ]) {
      expect(listed, key).toHaveProperty(key);
    }
  });
});
