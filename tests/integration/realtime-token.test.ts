import { decodeJwt, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEMO_JWT_SECRET } from '@/env';
import { auth } from '@/server/auth';
import { expectTrpcError } from '../helpers/trpc-errors';
import { anonymousHeaders, callerFor, signUpUser } from '../helpers/users';

describe('realtime.token', () => {
  it('mints a 10-minute authenticated token for the signed-in user only', async () => {
    const user = await signUpUser();
    const before = Math.floor(Date.now() / 1000);
    const { token, expiresAt } = await (await callerFor(user.headers)).realtime.token();
    const { payload } = await jwtVerify(token, new TextEncoder().encode(DEMO_JWT_SECRET), {
      audience: 'authenticated',
    });
    expect(payload).toMatchObject({ sub: user.id, role: 'authenticated', aud: 'authenticated' });
    expect(payload.exp).toBe((payload.iat ?? 0) + 600);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(expiresAt).toBe((payload.exp ?? 0) * 1000);
  });

  it('gives no token without a session or after the session is revoked', async () => {
    await expectTrpcError((await callerFor(anonymousHeaders())).realtime.token(), 'UNAUTHORIZED');
    const user = await signUpUser();
    expect(decodeJwt((await (await callerFor(user.headers)).realtime.token()).token).sub).toBe(user.id);
    await auth().api.signOut({ headers: user.headers });
    await expectTrpcError((await callerFor(user.headers)).realtime.token(), 'UNAUTHORIZED');
  });
});
