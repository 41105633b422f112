import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { setUpDatabase } from '@/stack/database-setup';
import { startPostgres } from '@/stack/embedded-postgres';
import { freePort } from '@/stack/free-port';
import { projectRoot } from '@/stack/project-paths';

const scratch = await mkdtemp(path.join(os.tmpdir(), 'stack-backup-test-'));
await chmod(scratch, 0o755); // reachable by the postgres user, like a checkout's .data
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Runs one of the npm scripts' CLIs (`npm run db:backup -- <file>` is this) and returns its output. */
function runCli(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('src/stack', script), ...args], {
      cwd: projectRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

// Several Postgres starts and CLI processes per test: minutes on a loaded 2-core machine.
describe('db:backup and db:restore', { timeout: 180_000 }, () => {
  it('round-trips the database: a restore brings back exactly what the backup saw, and keeps the replaced data dir', async () => {
    const dataDir = path.join(scratch, 'postgres');
    const file = path.join(scratch, 'chattwelve.backup.tar.gz');
    const first = await startPostgres({ dataDir, port: await freePort(), durable: false });
    const url = first.url();
    const env = { DATABASE_URL: url, EMBEDDED_DATA_DIR: dataDir, EMBEDDED_STACK: 'true' };
    const migrationsRecorded = 'select name, sha256 from app_migrations.checksums order by name';
    let migrationsAtBackup: unknown[] = [];
    try {
      await setUpDatabase(url);
      await query(
        url,
        "create table notes (text text); insert into notes values ('one'), ('two'), ('three')",
      );

      migrationsAtBackup = await query(url, migrationsRecorded);
      expect(migrationsAtBackup.length).toBeGreaterThan(0);
      const backup = await runCli('db-backup-cli.ts', [file], env);
      expect(backup.output).toContain('Backed up to');
      expect(backup.code).toBe(0);
      // It holds password hashes and every chat: nobody but its owner may read it.
      expect((await stat(file)).mode & 0o077).toBe(0);

      await query(url, "delete from notes where text = 'one'; insert into notes values ('after the backup')");
      const running = await runCli('db-restore-cli.ts', [file], env);
      expect(running.code).not.toBe(0);
      expect(running.output).toMatch(/stop the app first/);
    } finally {
      await first.stop();
    }

    const restore = await runCli('db-restore-cli.ts', [file], env);
    expect(restore.output).toContain('Restored');
    expect(restore.code).toBe(0);
    const previous = /kept at (\S+) /.exec(restore.output)?.[1] as string;

    const restored = await startPostgres({ dataDir, port: await freePort(), durable: false });
    try {
      expect(await query(restored.url(), 'select text from notes order by text')).toEqual([
        { text: 'one' },
        { text: 'three' },
        { text: 'two' },
      ]);
      // The schema came along too, with the migrator's record of it.
      expect(await query(restored.url(), migrationsRecorded)).toEqual(migrationsAtBackup);
    } finally {
      await restored.stop();
    }
    const replaced = await startPostgres({ dataDir: previous, port: await freePort(), durable: false });
    try {
      expect(await query(replaced.url(), 'select text from notes order by text')).toEqual([
        { text: 'after the backup' },
        { text: 'three' },
        { text: 'two' },
      ]);
    } finally {
      await replaced.stop();
    }
  });

  it('refuses a file that is not a backup, leaving the data dir alone', async () => {
    const dataDir = path.join(scratch, 'untouched');
    const file = path.join(scratch, 'not-a-backup.tar.gz');
    const { createGzip } = await import('node:zlib');
    const { pipeline } = await import('node:stream/promises');
    const { Readable } = await import('node:stream');
    const { createWriteStream } = await import('node:fs');
    await pipeline(Readable.from([Buffer.alloc(10_240)]), createGzip(), createWriteStream(file));
    const result = await runCli('db-restore-cli.ts', [file], { EMBEDDED_DATA_DIR: dataDir });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/not a ChatTwelve database backup/);
  });
});
