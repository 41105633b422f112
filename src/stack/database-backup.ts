import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { chown, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import { postgresIdentity } from './postgres-user';
import { isProcessAlive } from './process-alive';

/**
 * Backups of the embedded Postgres as a gzipped tar of its data dir, taken online with Postgres' own base
 * backup API (pg_backup_start / pg_backup_stop, as pg_basebackup does) plus the WAL written meanwhile. The
 * npm package ships only the server binaries (no pg_dump of version 17), and Debian's pg_dump is older than
 * the server; a base backup needs neither and restores to exactly the state at its end.
 */

/** Directory contents a base backup leaves out (what pg_basebackup leaves out). */
const EXCLUDED = [
  './postmaster.pid',
  './postmaster.opts',
  './backup_label',
  './tablespace_map',
  './pg_wal/*',
  './pg_replslot/*',
  './pg_stat_tmp/*',
  './pg_dynshmem/*',
  './pg_notify/*',
  './pg_serial/*',
  './pg_snapshots/*',
  './pg_subtrans/*',
  '*/pg_internal.init',
];

function tar(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    child.on('error', reject);
    // GNU tar exits 1 when a file changed while it was read: expected here, the WAL replay mends it.
    child.on('close', (code) =>
      code === 0 || code === 1 ? resolve() : reject(new Error(`tar exited with ${code}: ${errors}`)),
    );
  });
}

export interface BackupResult {
  file: string;
  bytes: number;
  walSegments: number;
}

/** Writes a restorable backup of the Postgres server at `databaseUrl` (superuser, same machine) to `file`. */
export async function backupDatabase(databaseUrl: string, file: string): Promise<BackupResult> {
  const target = path.resolve(file);
  const staging = `${target}.partial`;
  // A backup holds password hashes, sessions and every chat: readable by its owner only.
  await mkdir(staging, { recursive: true, mode: 0o700 });
  const archive = path.join(staging, 'backup.tar');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const dataDir = (
      await client.query<{ dir: string }>('select current_setting($1) as dir', ['data_directory'])
    ).rows[0]?.dir as string;
    // Keeps every WAL segment from the backup's start until this session ends (dropped with it).
    await client.query('select pg_create_physical_replication_slot($1, true, true)', [
      `chattwelve_backup_${process.pid}`,
    ]);
    const started = await client.query<{ lsn: string }>("select pg_backup_start('chattwelve', true) as lsn");
    await tar(['-cf', archive, '-C', dataDir, ...EXCLUDED.map((pattern) => `--exclude=${pattern}`), '.']);
    const stopped = await client.query<{ lsn: string; labelfile: string; spcmapfile: string }>(
      'select lsn::text, labelfile, spcmapfile from pg_backup_stop(false)',
    );
    const stop = stopped.rows[0] as { lsn: string; labelfile: string; spcmapfile: string };
    const names = await client.query<{ first: string; last: string }>(
      'select pg_walfile_name($1::pg_lsn) as first, pg_walfile_name($2::pg_lsn) as last',
      [started.rows[0]?.lsn, stop.lsn],
    );
    const { first, last } = names.rows[0] as { first: string; last: string };
    const segments = (await readdir(path.join(dataDir, 'pg_wal')))
      .filter((name) => /^[0-9A-F]{24}$/.test(name) && name >= first && name <= last)
      .sort();
    await writeFile(path.join(staging, 'backup_label'), stop.labelfile);
    const extras = ['backup_label'];
    if (stop.spcmapfile) {
      await writeFile(path.join(staging, 'tablespace_map'), stop.spcmapfile);
      extras.push('tablespace_map');
    }
    await tar(['-rf', archive, '-C', staging, ...extras]);
    await tar(['-rf', archive, '-C', dataDir, ...segments.map((name) => `./pg_wal/${name}`)]);
    await pipeline(
      createReadStream(archive),
      createGzip(),
      createWriteStream(`${target}.tmp`, { mode: 0o600 }),
    );
    await rename(`${target}.tmp`, target);
    const { size: bytes } = await stat(target);
    return { file: target, bytes, walSegments: segments.length };
  } finally {
    await client.end();
    await rm(staging, { recursive: true, force: true });
  }
}

export interface RestoreResult {
  dataDir: string;
  /** Where the data dir that was there before now is (kept, never deleted), or null if there was none. */
  previous: string | null;
}

/**
 * Replaces the data dir with the backup in `file`. Postgres must not be running on it: the app is stopped
 * first. The old data dir is kept beside it. The next start replays the backup's WAL and is then exactly the
 * database at the end of the backup.
 */
export async function restoreDatabase(file: string, dataDir: string): Promise<RestoreResult> {
  const target = path.resolve(dataDir);
  const pidFile = await readFile(path.join(target, 'postmaster.pid'), 'utf8').catch(() => null);
  const pid = Number(pidFile?.split('\n')[0]);
  if (pidFile && Number.isInteger(pid) && pid > 0 && isProcessAlive(pid)) {
    throw new Error(
      `Postgres (pid ${pid}) is running on ${target}: stop the app first, then restore (a Postgres left behind ` +
        `by a killed launcher stops with \`kill -INT ${pid}\`).`,
    );
  }
  const incoming = `${target}.restoring`;
  await rm(incoming, { recursive: true, force: true });
  await mkdir(incoming, { recursive: true, mode: 0o700 });
  const archive = path.join(path.dirname(target), `.${path.basename(target)}.restore.tar`);
  try {
    await pipeline(createReadStream(path.resolve(file)), createGunzip(), createWriteStream(archive));
    await tar(['-xf', archive, '-C', incoming, '--no-same-owner']);
  } finally {
    await rm(archive, { force: true });
  }
  if (!existsSync(path.join(incoming, 'PG_VERSION')) || !existsSync(path.join(incoming, 'backup_label'))) {
    await rm(incoming, { recursive: true, force: true });
    throw new Error(`${file} is not a ChatTwelve database backup (no PG_VERSION or backup_label inside).`);
  }
  const identity = postgresIdentity();
  if (identity.uid !== undefined) await chownTree(incoming, identity.uid, identity.gid ?? identity.uid);
  let previous: string | null = null;
  if (existsSync(target)) {
    previous = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(target, previous);
  }
  await rename(incoming, target);
  return { dataDir: target, previous };
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await chown(dir, uid, gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(full, uid, gid);
    else await chown(full, uid, gid);
  }
}
