import { getMigrations } from 'better-auth/db/migration';
import { afterAll, describe, expect, it } from 'vitest';
import { auth } from '@/server/auth';
import { adminDb } from '../helpers/database';
import { expectTrpcError } from '../helpers/trpc-errors';
import { APP_ORIGIN, callerFor, cookieHeader, signUpUser } from '../helpers/users';

const db = adminDb();
afterAll(() => db.destroy());

async function countRows(email: string) {
  const users = await db
    .withSchema('better_auth')
    .selectFrom('user' as never)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('email' as never, '=', email as never)
    .executeTakeFirstOrThrow();
  const profiles = await db
    .selectFrom('profiles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return { users: Number(users.n), profiles: Number(profiles.n) };
}

describe("BetterAuth on the app's Postgres", () => {
  it('finds nothing to migrate: the committed migration matches its schema', async () => {
    const { toBeCreated, toBeAdded, toBeAddedIndexes } = await getMigrations(auth().options);
    expect({ toBeCreated, toBeAdded, toBeAddedIndexes }).toEqual({
      toBeCreated: [],
      toBeAdded: [],
      toBeAddedIndexes: [],
    });
  });

  it('creates the user and exactly one profile at sign-up', async () => {
    const user = await signUpUser('Grace');
    expect(await countRows(user.email)).toEqual({ users: 1, profiles: 1 });
    const profile = await db
      .selectFrom('profiles')
      .select(['id', 'display_name'])
      .where('id', '=', user.id)
      .execute();
    expect(profile).toEqual([{ id: user.id, display_name: 'Grace' }]);
  });

  it('lets only one of two concurrent sign-ups with the same email through, and fails the other cleanly', async () => {
    const email = `race-${crypto.randomUUID()}@example.test`;
    const signUp = () =>
      auth().handler(
        new Request(`${APP_ORIGIN}/api/auth/sign-up/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: APP_ORIGIN },
          body: JSON.stringify({ email, password: 'correct horse battery', name: 'Racer' }),
        }),
      );
    const responses = await Promise.all([signUp(), signUp()]);
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect(statuses[1]).toBeGreaterThanOrEqual(400);
    expect(statuses[1]).toBeLessThan(500);
    const failed = responses.find((r) => r.status !== 200);
    // BetterAuth checks for the email first; the loser of the race meets the unique index and gets its
    // 422 "Failed to create user" — a client error with nothing half-created.
    expect(failed?.status).toBe(422);
    expect(await failed?.json()).toMatchObject({ message: expect.any(String) });
    expect(await countRows(email)).toEqual({ users: 1, profiles: 1 });
  });

  it('refuses the next call after sign-out', async () => {
    const user = await signUpUser();
    expect((await (await callerFor(user.headers)).profile.get()).email).toBe(user.email);
    await auth().api.signOut({ headers: user.headers });
    await expectTrpcError((await callerFor(user.headers)).sessions.list({}), 'UNAUTHORIZED');
  });

  it('refuses the next call of a revoked session at once (no cookie cache)', async () => {
    const user = await signUpUser();
    const { headers } = await auth().api.signInEmail({
      body: { email: user.email, password: user.password },
      returnHeaders: true,
    });
    const laptop = new Headers({ cookie: cookieHeader(headers.getSetCookie()), origin: APP_ORIGIN });
    expect((await (await callerFor(laptop)).sessions.list({})).items).toEqual([]);

    await auth().api.revokeOtherSessions({ headers: user.headers });
    await expectTrpcError((await callerFor(laptop)).sessions.list({}), 'UNAUTHORIZED');
    expect((await (await callerFor(user.headers)).sessions.list({})).items).toEqual([]);
  });

  it('refuses a mutation from a foreign Origin, or with none, with FORBIDDEN', async () => {
    const user = await signUpUser();
    const foreign = new Headers(user.headers);
    foreign.set('origin', 'https://evil.example');
    await expectTrpcError((await callerFor(foreign)).sessions.create({}), 'FORBIDDEN');
    const none = new Headers(user.headers);
    none.delete('origin');
    await expectTrpcError((await callerFor(none)).sessions.create({}), 'FORBIDDEN');
    // Queries are not state-changing and stay available.
    expect((await (await callerFor(foreign)).sessions.list({})).items).toEqual([]);
    expect(
      await db.selectFrom('chat_sessions').select('id').where('user_id', '=', user.id).execute(),
    ).toEqual([]);
  });
});
