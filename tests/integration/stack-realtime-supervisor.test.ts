import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DEMO_ANON_KEY, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY } from '@/env';
import { freePort } from '@/stack/free-port';
import { projectRoot } from '@/stack/project-paths';
import { superviseRealtime } from '@/stack/realtime-supervisor';

const scratch = await mkdtemp(path.join(os.tmpdir(), 'stack-supervisor-test-'));
await chmod(scratch, 0o755); // reachable by the postgres user, like a checkout's .data
afterAll(() => rm(scratch, { recursive: true, force: true }));

function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function selectOne(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ one: number }>('select 1 as one')).rows[0]?.one ?? 0;
  } finally {
    await client.end();
  }
}

/** Joins a public broadcast topic with the real supabase-js and collects the `note` events it receives. */
async function listen(
  client: SupabaseClient,
  topic: string,
): Promise<{ channel: RealtimeChannel; notes: string[] }> {
  const notes: string[] = [];
  const channel = client
    .channel(topic)
    .on('broadcast', { event: 'note' }, ({ payload }) => notes.push(String(payload.text)));
  await new Promise<void>((resolve, reject) =>
    channel.subscribe((status, error) => {
      if (status === 'SUBSCRIBED') resolve();
      else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') reject(new Error(`${status} ${error}`));
    }),
  );
  return { channel, notes };
}

/** What the chat engine does: a REST broadcast with the service key. */
async function broadcast(realtimeUrl: string, topic: string, text: string): Promise<number> {
  const response = await fetch(`${realtimeUrl}/realtime/v1/api/broadcast`, {
    method: 'POST',
    headers: {
      apikey: DEMO_SERVICE_ROLE_KEY,
      authorization: `Bearer ${DEMO_SERVICE_ROLE_KEY}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ messages: [{ topic, event: 'note', payload: { text }, private: false }] }),
  }).catch(() => null);
  return response?.status ?? 0;
}

// Child processes and Postgres starts: minutes on a loaded 2-core machine.
describe('the supervised realtime server', { timeout: 180_000 }, () => {
  it('comes back after its process is killed with SIGKILL; clients reconnect on their own and Postgres keeps serving', async () => {
    const databaseUrl = inject('databaseUrl');
    const realtime = await superviseRealtime({
      port: 0,
      databaseUrl,
      jwtSecret: DEMO_JWT_SECRET,
    });
    const clients = [0, 1].map(() => createClient(realtime.url, DEMO_ANON_KEY));
    try {
      const topic = `supervised-${randomUUID()}`;
      const [first, second] = await Promise.all(clients.map((client) => listen(client, topic)));
      expect(await broadcast(realtime.url, topic, 'before')).toBe(202);
      await expect.poll(() => [first?.notes, second?.notes]).toEqual([['before'], ['before']]);

      const killed = realtime.pid();
      const restarted = realtime.nextReady();
      process.kill(killed as number, 'SIGKILL');
      await expect.poll(() => isAlive(killed)).toBe(false);
      expect(await selectOne(databaseUrl)).toBe(1);
      const newPid = await restarted;
      expect(newPid).not.toBe(killed);
      expect(realtime.pid()).toBe(newPid);

      // supabase-js rejoins after its reconnect back-off; the broadcast is sent until both have it.
      await expect
        .poll(
          async () => {
            if (!first?.notes.includes('after') || !second?.notes.includes('after')) {
              await broadcast(realtime.url, topic, 'after');
            }
            return [first?.notes.includes('after'), second?.notes.includes('after')];
          },
          { timeout: 20_000, interval: 500 },
        )
        .toEqual([true, true]);
    } finally {
      for (const client of clients) {
        await client.removeAllChannels();
        client.realtime.disconnect();
      }
      await realtime.stop();
    }
    expect(realtime.pid()).toBeUndefined();
  });

  it('leaves no process behind: SIGTERM to the launcher stops realtime and Postgres; a killed launcher takes realtime with it', async () => {
    // A launcher of its own (as `npm start` is), so it can be signalled like one.
    const launcher = (dataDir: string, pgPort: number) => {
      const script = `
        import { startStack } from './src/stack/start-stack.ts';
        const stack = await startStack({ dataDir: ${JSON.stringify(dataDir)}, pgPort: ${pgPort},
          realtimePort: 0, durable: false, supervisedRealtime: true });
        process.on('SIGTERM', async () => { await stack.stop(); process.exit(0); });
        console.log(JSON.stringify({ postgres: stack.postgresPid, realtime: stack.realtimePid() }));`;
      return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: projectRoot,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
    };
    const pidsOf = (child: ReturnType<typeof launcher>) =>
      new Promise<{ postgres: number; realtime: number }>((resolve, reject) => {
        let output = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const line = output.split('\n').find((candidate) => candidate.startsWith('{'));
          if (line) resolve(JSON.parse(line));
        });
        child.once('exit', (code) => reject(new Error(`launcher exited with ${code}: ${output}`)));
      });

    const stopped = launcher(path.join(scratch, 'sigterm'), await freePort());
    const stoppedPids = await pidsOf(stopped);
    expect([isAlive(stoppedPids.postgres), isAlive(stoppedPids.realtime)]).toEqual([true, true]);
    const exited = new Promise((resolve) => stopped.once('exit', resolve));
    stopped.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect([isAlive(stoppedPids.postgres), isAlive(stoppedPids.realtime)]).toEqual([false, false]);

    const killed = launcher(path.join(scratch, 'sigkill'), await freePort());
    const killedPids = await pidsOf(killed);
    killed.kill('SIGKILL');
    try {
      await expect.poll(() => isAlive(killedPids.realtime), { timeout: 10_000 }).toBe(false);
    } finally {
      // The postmaster outlives a SIGKILLed launcher; the next start stops it (embedded-postgres.test.ts).
      // Stopped here, and waited for: it writes its shutdown checkpoint into the directory removed after.
      if (isAlive(killedPids.postgres)) {
        process.kill(killedPids.postgres, 'SIGINT');
        await expect.poll(() => isAlive(killedPids.postgres), { timeout: 60_000 }).toBe(false);
      }
    }
  });
});
