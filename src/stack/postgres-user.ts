import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';

/** The OS identity Postgres runs as: the current user, or `postgres` when we are root (Postgres refuses root). */
export interface PostgresIdentity {
  uid?: number;
  gid?: number;
}

export function postgresIdentity(): PostgresIdentity {
  if (os.userInfo().uid !== 0) return {};
  if (!userExists('postgres')) {
    execFileSync('groupadd', ['-f', 'postgres']);
    execFileSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
  }
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

function userExists(name: string): boolean {
  return spawnSync('id', ['-u', name]).status === 0;
}

/** Whether `identity` can open `target` with the given `test(1)` flag (-x to run or enter, -w to write). */
export function canAccess(identity: PostgresIdentity, target: string, flag: '-x' | '-w' | '-r'): boolean {
  return spawnSync('test', [flag, target], { uid: identity.uid, gid: identity.gid }).status === 0;
}
