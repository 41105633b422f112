import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { auditRowsFor } from '../helpers/admins';
import { adminDb } from '../helpers/database';
import { callerFor, signUpUser } from '../helpers/users';

const db = adminDb();
afterAll(() => db.destroy());

const root = path.resolve(import.meta.dirname, '../..');

/** `npm run admin:grant -- <email>`, as an operator runs it, against the test database. */
function grantAdmin(email: string) {
  return promisify(execFile)(
    process.execPath,
    [
      path.join(root, 'node_modules/tsx/dist/cli.mjs'),
      '--conditions=react-server',
      'src/server/admin/grant-admin-cli.ts',
      email,
    ],
    { cwd: root, env: { ...process.env, DATABASE_URL: inject('databaseUrl') } },
  ).then(
    ({ stdout }) => ({ code: 0, out: stdout }),
    (error: { code: number; stderr: string }) => ({ code: error.code, out: error.stderr }),
  );
}

describe('npm run admin:grant', () => {
  it('makes an existing account an admin, recorded in the audit log without an actor', async () => {
    const user = await signUpUser('Founder');
    await expect((await callerFor(user.headers)).admin.users({})).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });

    const result = await grantAdmin(user.email.toUpperCase());
    expect(result).toEqual({ code: 0, out: `${user.email} is now an admin.\n` });
    await expect((await callerFor(user.headers)).admin.users({})).resolves.toBeDefined();
    const [row] = await auditRowsFor(db, user.id);
    expect(row).toMatchObject({
      actor_id: null,
      action: 'admin.user.set_role',
      details: { from: 'user', to: 'admin', via: 'command line' },
      request_id: expect.stringMatching(/^cli-/),
    });
  });

  it('names an unknown email and fails', async () => {
    const result = await grantAdmin('nobody-here@example.test');
    expect(result.code).toBe(1);
    expect(result.out).toContain('User nobody-here@example.test not found');
  });
});
