import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GET as openAvatar } from '@/app/api/avatars/[userId]/route';
import { env } from '@/env';
import { adminRouter } from '@/server/admin/admin.router';
import { adminUsersService } from '@/server/admin/admin-users.service';
import { auth } from '@/server/auth';
import { avatarsService } from '@/server/avatars/avatars.service';
import type { Database } from '@/server/database-types';
import { createCaller } from '@/server/router';
import { createContext } from '@/server/trpc';
import { auditRowsFor, signUpAdmin } from '../helpers/admins';
import { adminDb } from '../helpers/database';
import { expectTrpcError } from '../helpers/trpc-errors';
import { APP_ORIGIN, anonymousHeaders, callerFor, signUpUser, type TestUser } from '../helpers/users';

const db = adminDb();
afterAll(() => db.destroy());

/** A caller whose requests carry the request id a proxy would set, so audit rows can be traced to it. */
async function callerWithRequestId(user: TestUser, requestId: string) {
  const headers = new Headers(user.headers);
  headers.set('x-request-id', requestId);
  return createCaller(await createContext({ headers, resHeaders: new Headers() }));
}

type AdminApi = Awaited<ReturnType<typeof callerFor>>['admin'];

/** One valid call per admin procedure; the test below fails when a procedure is added without a row here. */
const everyAdminProcedure = (
  targetId: string,
): Record<keyof AdminApi, (api: AdminApi) => Promise<unknown>> => ({
  users: (api) => api.users({}),
  ban: (api) => api.ban({ userId: targetId, reason: 'spam' }),
  unban: (api) => api.unban({ userId: targetId }),
  setRole: (api) => api.setRole({ userId: targetId, role: 'admin' }),
  revokeSessions: (api) => api.revokeSessions({ userId: targetId }),
  usage: (api) => api.usage({}),
  auditLog: (api) => api.auditLog({}),
});

describe('admin.* role matrix', () => {
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    admin = await signUpAdmin(db);
    user = await signUpUser('Plain');
  });

  it('lists every admin procedure in the matrix', () => {
    expect(Object.keys(everyAdminProcedure('x')).sort()).toEqual(
      Object.keys(adminRouter._def.procedures).sort(),
    );
  });

  it('refuses a plain user every admin procedure with FORBIDDEN and changes nothing', async () => {
    const api = (await callerFor(user.headers)).admin;
    for (const [name, call] of Object.entries(everyAdminProcedure(admin.id))) {
      const error = await expectTrpcError(call(api), 'FORBIDDEN');
      expect(error.message, name).toBe('Admins only');
    }
    expect(await auditRowsFor(db, admin.id)).toEqual([]);
    expect(
      (await (await callerFor(admin.headers)).admin.users({ search: admin.email })).items[0],
    ).toMatchObject({
      role: 'admin',
      banned: false,
    });
  });

  it('refuses every admin procedure without a session with UNAUTHORIZED', async () => {
    const api = (await callerFor(anonymousHeaders())).admin;
    for (const call of Object.values(everyAdminProcedure(user.id)))
      await expectTrpcError(call(api), 'UNAUTHORIZED');
  });

  it('gives an admin every admin procedure', async () => {
    const target = await signUpUser('Target');
    const api = (await callerFor(admin.headers)).admin;
    for (const [name, call] of Object.entries(everyAdminProcedure(target.id))) {
      await expect(call(api), name).resolves.toBeDefined();
    }
  });
});

describe('admin.ban / admin.unban', () => {
  it('signs the banned user out at once, refuses their sign-in, and records who, what, whom and which request', async () => {
    const admin = await signUpAdmin(db);
    const target = await signUpUser('Spammer');
    const api = await callerWithRequestId(admin, 'req-ban-0001');

    const banned = await api.admin.ban({ userId: target.id, reason: 'Posting spam links', expiresInDays: 7 });
    expect(banned).toMatchObject({ id: target.id, banned: true, banReason: 'Posting spam links' });
    expect(banned.banExpiresAt?.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);

    await expectTrpcError((await callerFor(target.headers)).sessions.list({}), 'UNAUTHORIZED');
    await expect(
      auth().api.signInEmail({ body: { email: target.email, password: target.password } }),
    ).rejects.toMatchObject({ statusCode: 403, body: { code: 'BANNED_USER' } });

    expect(await auditRowsFor(db, target.id)).toEqual([
      {
        actor_id: admin.id,
        action: 'admin.user.ban',
        target_user_id: target.id,
        details: {
          reason: 'Posting spam links',
          expiresAt: banned.banExpiresAt?.toISOString(),
          revokedSessions: 1,
        },
        request_id: 'req-ban-0001',
      },
    ]);

    const unbanned = await (await callerWithRequestId(admin, 'req-unban-0001')).admin.unban({
      userId: target.id,
    });
    expect(unbanned).toMatchObject({ banned: false, banReason: null, banExpiresAt: null });
    const signedIn = await auth().api.signInEmail({
      body: { email: target.email, password: target.password },
    });
    expect(signedIn.user.id).toBe(target.id);
    expect((await auditRowsFor(db, target.id)).map((row) => [row.action, row.request_id])).toEqual([
      ['admin.user.ban', 'req-ban-0001'],
      ['admin.user.unban', 'req-unban-0001'],
    ]);
  });

  it('refuses to ban oneself, and an unknown user is NOT_FOUND with nothing recorded', async () => {
    const admin = await signUpAdmin(db);
    const api = (await callerFor(admin.headers)).admin;
    await expectTrpcError(api.ban({ userId: admin.id, reason: 'oops' }), 'FORBIDDEN', /cannot ban yourself/);
    await expectTrpcError(api.ban({ userId: 'no-such-user', reason: 'x' }), 'NOT_FOUND', /User not found/);
    expect(await auditRowsFor(db, admin.id)).toEqual([]);
    expect(await auditRowsFor(db, 'no-such-user')).toEqual([]);
    await expect((await callerFor(admin.headers)).sessions.list({})).resolves.toBeDefined();
  });

  it('asks for a reason', async () => {
    const admin = await signUpAdmin(db);
    const target = await signUpUser();
    await expectTrpcError(
      (await callerFor(admin.headers)).admin.ban({ userId: target.id, reason: '  ' }),
      'BAD_REQUEST',
      /reason: Give a reason/,
    );
  });
});

describe('admin.setRole', () => {
  it('takes effect on the next request and is recorded with the old and new role', async () => {
    const admin = await signUpAdmin(db);
    const colleague = await signUpUser('Colleague');
    const api = (await callerWithRequestId(admin, 'req-role-0001')).admin;

    await expectTrpcError((await callerFor(colleague.headers)).admin.users({}), 'FORBIDDEN');
    expect(await api.setRole({ userId: colleague.id, role: 'admin' })).toMatchObject({ role: 'admin' });
    await expect((await callerFor(colleague.headers)).admin.users({})).resolves.toBeDefined();
    await api.setRole({ userId: colleague.id, role: 'user' });
    await expectTrpcError((await callerFor(colleague.headers)).admin.users({}), 'FORBIDDEN');

    expect(
      (await auditRowsFor(db, colleague.id)).map((row) => [row.action, row.details, row.actor_id]),
    ).toEqual([
      ['admin.user.set_role', { from: 'user', to: 'admin' }, admin.id],
      ['admin.user.set_role', { from: 'admin', to: 'user' }, admin.id],
    ]);
  });

  it('does not let an admin remove their own admin role', async () => {
    const admin = await signUpAdmin(db);
    await expectTrpcError(
      (await callerFor(admin.headers)).admin.setRole({ userId: admin.id, role: 'user' }),
      'FORBIDDEN',
      /own admin role/,
    );
    await expect((await callerFor(admin.headers)).admin.users({})).resolves.toBeDefined();
  });

  it('accepts only the roles user and admin', async () => {
    const admin = await signUpAdmin(db);
    const target = await signUpUser();
    await expectTrpcError(
      (await callerFor(admin.headers)).admin.setRole({ userId: target.id, role: 'owner' as 'admin' }),
      'BAD_REQUEST',
    );
  });
});

describe('admin.revokeSessions', () => {
  it('signs the user out on every device, and they can sign in again', async () => {
    const admin = await signUpAdmin(db);
    const target = await signUpUser('Traveller');
    const secondDevice = await auth().api.signInEmail({
      body: { email: target.email, password: target.password },
      returnHeaders: true,
    });
    const secondHeaders = new Headers({
      cookie: secondDevice.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; '),
      origin: 'http://localhost:3000',
    });

    const result = await (await callerFor(admin.headers)).admin.revokeSessions({ userId: target.id });
    expect(result).toEqual({ revokedSessions: 2 });
    await expectTrpcError((await callerFor(target.headers)).sessions.list({}), 'UNAUTHORIZED');
    await expectTrpcError((await callerFor(secondHeaders)).realtime.token(), 'UNAUTHORIZED');
    expect((await auditRowsFor(db, target.id)).map((row) => [row.action, row.details])).toEqual([
      ['admin.user.revoke_sessions', { revokedSessions: 2 }],
    ]);
  });
});

describe('admin.users', () => {
  it('finds users by part of their email or name, case-insensitively, and pages through them', async () => {
    const admin = await signUpAdmin(db);
    const tag = `Zebra${crypto.randomUUID().slice(0, 8)}`;
    const found = [
      await signUpUser(`${tag} One`),
      await signUpUser(`${tag} Two`),
      await signUpUser(`${tag} Three`),
    ];
    const api = (await callerFor(admin.headers)).admin;

    const first = await api.users({ search: tag.toLowerCase(), limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await api.users({ search: tag, limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items].map((u) => u.id);
    expect(ids.sort()).toEqual(found.map((u) => u.id).sort());

    const byEmail = await api.users({ search: found[0]?.email.toUpperCase() });
    expect(byEmail.items).toEqual([
      expect.objectContaining({
        id: found[0]?.id,
        role: 'user',
        banned: false,
        lastSeenAt: expect.any(Date),
        emailVerified: false,
        twoFactorEnabled: false,
      }),
    ]);
    expect(
      (await api.users({ search: '%' })).items.every((u) => u.email.includes('%') || u.name.includes('%')),
    ).toBe(true);
  });

  it("gives each user's picture as a link that opens it, read by the list's one statement; none without one", async () => {
    const admin = await signUpAdmin(db);
    const tag = `Pictured${crypto.randomUUID().slice(0, 8)}`;
    const pictured = await signUpUser(`${tag} Photo`);
    const plain = await signUpUser(`${tag} Initials`);
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0969da' } })
      .png()
      .toBuffer();
    await avatarsService.upload(db, env().BETTER_AUTH_SECRET, pictured.id, new Uint8Array(png));
    const api = (await callerFor(admin.headers)).admin;

    const { items } = await api.users({ search: tag });
    const byId = new Map(items.map((user) => [user.id, user.avatarUrl]));
    expect(byId.get(plain.id)).toBeNull();
    const link = new URL(byId.get(pictured.id) ?? '', APP_ORIGIN);
    expect(link.pathname).toBe(`/api/avatars/${pictured.id}`);
    const image = await openAvatar(new Request(link), { params: Promise.resolve({ userId: pictured.id }) });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/webp');

    // A changed user comes back with their picture, so the console's row keeps it.
    const promoted = await api.setRole({ userId: pictured.id, role: 'admin' });
    expect(promoted.avatarUrl).toMatch(new RegExp(`^/api/avatars/${pictured.id}\\?`));

    // No query per user: a page of users with and without pictures is one statement.
    const statements: string[] = [];
    const counting = new Kysely<Database>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 }),
      }),
      log: (event) => {
        if (event.level === 'query') statements.push(event.query.sql);
      },
    });
    try {
      const page = await adminUsersService.list(counting, { limit: 50, search: tag });
      expect(page.items).toHaveLength(2);
    } finally {
      await counting.destroy();
    }
    expect(statements).toHaveLength(1);
  });

  it('hands out the same picture link for ten minutes, so a list fetched again reuses the pictures', () => {
    const secret = env().BETTER_AUTH_SECRET;
    const linkAt = (iso: string) => avatarsService.linkTo(secret, 'user-1', 'version-1', new Date(iso));
    expect(linkAt('2026-12-04T10:00:00Z')).toBe(linkAt('2026-12-04T10:09:59Z'));
    expect(linkAt('2026-12-04T10:10:00Z')).not.toBe(linkAt('2026-12-04T10:09:59Z'));
    // ...and the link still works for at least 50 minutes after it is handed out.
    const expires = Number(new URL(linkAt('2026-12-04T10:09:59Z'), APP_ORIGIN).searchParams.get('exp'));
    expect(expires * 1000).toBeGreaterThanOrEqual(Date.parse('2026-12-04T10:59:59Z'));
  });
});

describe('admin.auditLog', () => {
  it('lists actions newest first, filtered by target', async () => {
    const admin = await signUpAdmin(db);
    const target = await signUpUser();
    const api = (await callerFor(admin.headers)).admin;
    await api.setRole({ userId: target.id, role: 'admin' });
    await api.revokeSessions({ userId: target.id });
    const log = await api.auditLog({ targetUserId: target.id });
    expect(log.items.map((entry) => entry.action)).toEqual([
      'admin.user.revoke_sessions',
      'admin.user.set_role',
    ]);
    expect(log.items[0]).toMatchObject({
      actorId: admin.id,
      targetUserId: target.id,
      createdAt: expect.any(Date),
    });
    const paged = await api.auditLog({ targetUserId: target.id, limit: 1 });
    const rest = await api.auditLog({
      targetUserId: target.id,
      limit: 1,
      cursor: paged.nextCursor ?? undefined,
    });
    expect([...paged.items, ...rest.items].map((e) => e.id)).toEqual(log.items.map((e) => e.id));
  });
});
