import { describe, expect, it } from 'vitest';
import { auth } from '@/server/auth';
import { auditRowsFor } from '../helpers/admins';
import { adminDb } from '../helpers/database';
import { expectTrpcError } from '../helpers/trpc-errors';
import { APP_ORIGIN, callerFor, cookieHeader, signUpUser, type TestUser } from '../helpers/users';

const FIREFOX_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_ON_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

/** Signs `user` in again from another browser; returns that browser's request headers. */
async function signInFrom(user: TestUser, userAgent: string): Promise<Headers> {
  const { headers } = await auth().api.signInEmail({
    body: { email: user.email, password: user.password },
    headers: new Headers({ 'user-agent': userAgent }),
    returnHeaders: true,
  });
  return new Headers({
    cookie: cookieHeader(headers.getSetCookie()),
    origin: APP_ORIGIN,
    'user-agent': userAgent,
  });
}

describe('devices', () => {
  it("lists the user's signed-in browsers, this one first and marked current", async () => {
    const user = await signUpUser();
    const laptop = await signInFrom(user, FIREFOX_ON_WINDOWS);
    const phone = await signInFrom(user, SAFARI_ON_IPHONE);

    const devices = await (await callerFor(phone)).devices.list();
    expect(devices).toHaveLength(3);
    expect(devices[0]).toMatchObject({ browser: 'Safari 18', os: 'iOS', current: true });
    expect(devices.filter((d) => d.current)).toHaveLength(1);
    expect(devices.map((d) => d.browser)).toContain('Firefox 133');
    expect(devices[0]?.lastSeenAt).toBeInstanceOf(Date);

    const fromLaptop = await (await callerFor(laptop)).devices.list();
    expect(fromLaptop.find((d) => d.current)?.browser).toBe('Firefox 133');
    expect(fromLaptop.map((d) => d.id).sort()).toEqual(devices.map((d) => d.id).sort());
  });

  it('revokes one device: its next call and its realtime token are refused, the others keep working', async () => {
    const user = await signUpUser();
    const laptop = await signInFrom(user, FIREFOX_ON_WINDOWS);
    const phoneApi = await callerFor(await signInFrom(user, SAFARI_ON_IPHONE));
    const laptopDevice = (await (await callerFor(laptop)).devices.list()).find((d) => d.current);

    await phoneApi.devices.revoke({ id: laptopDevice?.id ?? '' });
    await expectTrpcError((await callerFor(laptop)).sessions.list({}), 'UNAUTHORIZED');
    await expectTrpcError((await callerFor(laptop)).realtime.token(), 'UNAUTHORIZED');
    await expect((await callerFor(user.headers)).sessions.list({})).resolves.toBeDefined();
    expect((await phoneApi.devices.list()).map((d) => d.id)).not.toContain(laptopDevice?.id);
  });

  it('revokes every other device and keeps this one', async () => {
    const user = await signUpUser();
    const laptop = await signInFrom(user, FIREFOX_ON_WINDOWS);
    const phone = await signInFrom(user, SAFARI_ON_IPHONE);

    expect(await (await callerFor(phone)).devices.revokeOthers()).toEqual({ revoked: 2 });
    for (const other of [laptop, user.headers]) {
      await expectTrpcError((await callerFor(other)).sessions.list({}), 'UNAUTHORIZED');
      await expectTrpcError((await callerFor(other)).realtime.token(), 'UNAUTHORIZED');
    }
    const remaining = await (await callerFor(phone)).devices.list();
    expect(remaining).toEqual([expect.objectContaining({ current: true, browser: 'Safari 18' })]);
    await expect((await callerFor(phone)).realtime.token()).resolves.toMatchObject({
      token: expect.any(String),
    });

    const db = adminDb();
    try {
      expect((await auditRowsFor(db, user.id)).map((row) => [row.action, row.actor_id, row.details])).toEqual(
        [['account.device.revoke_others', user.id, { revoked: 2 }]],
      );
    } finally {
      await db.destroy();
    }
  });

  it("does not let user B see or revoke user A's device", async () => {
    const alice = await signUpUser('Alice');
    const bob = await signUpUser('Bob');
    const aliceDevice = (await (await callerFor(alice.headers)).devices.list())[0];
    const bobApi = await callerFor(bob.headers);

    expect((await bobApi.devices.list()).map((d) => d.id)).not.toContain(aliceDevice?.id);
    await expectTrpcError(
      bobApi.devices.revoke({ id: aliceDevice?.id ?? '' }),
      'NOT_FOUND',
      /Device not found/,
    );
    await expect((await callerFor(alice.headers)).sessions.list({})).resolves.toBeDefined();
    await expectTrpcError(bobApi.devices.revoke({ id: 'no-such-device' }), 'NOT_FOUND');
  });

  it('signs this device out when it revokes itself', async () => {
    const user = await signUpUser();
    const [current] = await (await callerFor(user.headers)).devices.list();
    await (await callerFor(user.headers)).devices.revoke({ id: current?.id ?? '' });
    await expectTrpcError((await callerFor(user.headers)).devices.list(), 'UNAUTHORIZED');
  });
});
