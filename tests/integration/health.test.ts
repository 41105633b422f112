import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_ANON_KEY } from '@/env';
import { createDb } from '@/server/db';
import { healthService } from '@/server/health/health.service';
import { freePort } from '@/stack/free-port';
import { adminDb } from '../helpers/database';

const db = adminDb();
afterAll(() => db.destroy());

describe('/api/health', () => {
  const previousUrl = process.env.NEXT_PUBLIC_SUPABASE_URL;
  beforeAll(() => {
    // The route reads the realtime server's URL from env (read once, on first use): the test stack's.
    process.env.NEXT_PUBLIC_SUPABASE_URL = inject('realtimeUrl');
  });
  afterAll(() => {
    if (previousUrl === undefined) delete process.env.NEXT_PUBLIC_SUPABASE_URL;
    else process.env.NEXT_PUBLIC_SUPABASE_URL = previousUrl;
  });

  it('answers 200 with JSON when Postgres and the realtime server answer', async () => {
    const { GET } = await import('@/app/api/health/route');
    const response = await GET(new Request('http://localhost:3000/api/health'), {});
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({
      status: 'ok',
      checks: {
        database: { ok: true, latencyMs: expect.any(Number) },
        realtime: { ok: true, latencyMs: expect.any(Number) },
      },
    });
  });

  it('answers a burst of requests from one check, and checks again after 2 s', async () => {
    const { createServer } = await import('node:http');
    let handshakes = 0;
    // Counts websocket handshakes, and refuses them.
    const counter = createServer().on('upgrade', (_request, socket) => {
      handshakes += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => counter.listen(0, '127.0.0.1', resolve));
    const targets = {
      db,
      realtimeUrl: `http://127.0.0.1:${(counter.address() as { port: number }).port}`,
      anonKey: DEMO_ANON_KEY,
    };
    try {
      const now = Date.now();
      const burst = await Promise.all(
        Array.from({ length: 20 }, () => healthService.checkReusingRecent(targets, now)),
      );
      expect(handshakes).toBe(1);
      expect(burst.every((report) => report.status === 'unavailable')).toBe(true);
      await healthService.checkReusingRecent(targets, now + 1999);
      expect(handshakes).toBe(1);
      await healthService.checkReusingRecent(targets, now + 2000);
      expect(handshakes).toBe(2);
    } finally {
      counter.close();
    }
  });

  it('reports the realtime server unavailable when nothing listens at its URL', async () => {
    const report = await healthService.check({
      db,
      realtimeUrl: `http://127.0.0.1:${await freePort()}`,
      anonKey: DEMO_ANON_KEY,
    });
    expect(report).toEqual({
      status: 'unavailable',
      checks: {
        database: { ok: true, latencyMs: expect.any(Number) },
        realtime: { ok: false, latencyMs: expect.any(Number), error: 'unreachable' },
      },
    });
  });

  it('reports Postgres unavailable, without naming its host or credentials', async () => {
    const deadDb = createDb(`postgresql://postgres:postgres@127.0.0.1:${await freePort()}/postgres`, 1);
    try {
      const report = await healthService.check({
        db: deadDb,
        realtimeUrl: inject('realtimeUrl'),
        anonKey: DEMO_ANON_KEY,
      });
      expect(report.status).toBe('unavailable');
      expect(report.checks.database).toEqual({
        ok: false,
        latencyMs: expect.any(Number),
        error: 'unreachable',
      });
      expect(report.checks.realtime.ok).toBe(true);
      expect(JSON.stringify(report)).not.toMatch(/postgres:|127\.0\.0\.1/);
    } finally {
      await deadDb.destroy();
    }
  });

  it('gives up on a dependency that does not answer in time', async () => {
    const { createServer } = await import('node:net');
    // Accepts TCP connections and never says a word: a hung server.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const report = await healthService.check({
        db,
        realtimeUrl: `http://127.0.0.1:${port}`,
        anonKey: DEMO_ANON_KEY,
        timeoutMs: 300,
      });
      expect(report.checks.realtime).toEqual({
        ok: false,
        latencyMs: expect.any(Number),
        error: 'no answer within 300 ms',
      });
    } finally {
      silent.close();
    }
  });
});
