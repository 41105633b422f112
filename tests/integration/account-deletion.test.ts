import { afterAll, describe, expect, it } from 'vitest';
import { auth } from '@/server/auth';
import { chatExportService } from '@/server/chat-export/chat-export.service';
import { createCaller } from '@/server/router';
import { createContext } from '@/server/trpc';
import { auditRowsFor, authTables, signUpAdmin } from '../helpers/admins';
import { insertExchange } from '../helpers/chat-rows';
import { adminDb } from '../helpers/database';
import { rowsNaming } from '../helpers/rows-naming';
import { expectTrpcError } from '../helpers/trpc-errors';
import { callerFor, signUpUser, type TestUser } from '../helpers/users';

const db = adminDb();
afterAll(() => db.destroy());

/** A user with something in every table a user can have rows in. */
async function userWithEverything(): Promise<TestUser> {
  const user = await signUpUser('Doomed');
  const api = await callerFor(user.headers);
  const session = await api.sessions.create({ title: 'my chat' });
  await insertExchange(db, user.id, session.id, 'question', 'answer');
  await api.prompts.create({ name: 'mine', content: 'Be brief.', isDefault: true });
  await api.profile.update({ displayName: 'Doomed Person' });
  await auth().api.signInEmail({ body: { email: user.email, password: user.password } }); // a second device
  await db
    .insertInto('rate_limits')
    .values({ user_id: user.id, bucket: 'chat.send', window_start: new Date(), count: 1 })
    .execute();
  await db
    .insertInto('avatars')
    .values({ user_id: user.id, content_type: 'image/png', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47]) })
    .execute();
  await api.exports.start();
  await chatExportService.idle();
  const admin = await signUpAdmin(db);
  await (await callerFor(admin.headers)).admin.setRole({ userId: user.id, role: 'user' }); // an audit row
  await db
    .withTables<{
      'better_auth.verification': { id: string; identifier: string; value: string; expiresAt: Date };
    }>()
    .insertInto('better_auth.verification')
    .values({
      id: crypto.randomUUID(),
      identifier: `reset-password:${crypto.randomUUID()}`,
      value: user.id,
      expiresAt: new Date(Date.now() + 3600_000),
    })
    .execute();
  return user;
}

describe('account.delete', () => {
  it('refuses a wrong password and deletes nothing', async () => {
    const user = await signUpUser();
    const api = await callerFor(user.headers);
    await api.sessions.create({ title: 'keep me' });
    await expectTrpcError(api.account.delete({ password: 'not-my-password' }), 'FORBIDDEN', /Wrong password/);
    expect((await api.sessions.list({})).items.map((s) => s.title)).toEqual(['keep me']);
  });

  it('removes every row of the user from every table, signs every device out, and records that it happened', async () => {
    const user = await userWithEverything();
    const bystander = await signUpUser('Bystander');
    await (await callerFor(bystander.headers)).sessions.create({ title: 'not yours' });
    expect(Object.keys(await rowsNaming(db, [user.id, user.email])).length).toBeGreaterThan(8);

    const headers = new Headers(user.headers);
    headers.set('x-request-id', 'req-delete-0001');
    const api = createCaller(await createContext({ headers, resHeaders: new Headers() }));
    expect(await api.account.delete({ password: user.password })).toEqual({ deleted: true });

    expect(await rowsNaming(db, [user.id, user.email])).toEqual({});
    await expectTrpcError((await callerFor(user.headers)).sessions.list({}), 'UNAUTHORIZED');
    await expect(
      auth().api.signInEmail({ body: { email: user.email, password: user.password } }),
    ).rejects.toMatchObject({ statusCode: 401 });

    const deletion = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'target_user_id'])
      .where('request_id', '=', 'req-delete-0001')
      .execute();
    expect(deletion).toEqual([{ action: 'account.delete', actor_id: null, target_user_id: null }]);

    expect((await (await callerFor(bystander.headers)).sessions.list({})).items.map((s) => s.title)).toEqual([
      'not yours',
    ]);
    expect(await auditRowsFor(db, bystander.id)).toEqual([]);
    const bystanderRow = await authTables(db)
      .selectFrom('better_auth.user')
      .select('id')
      .where('id', '=', bystander.id)
      .execute();
    expect(bystanderRow).toHaveLength(1);
  });

  it('allows 5 password guesses a quarter hour, then refuses even the right password', async () => {
    const user = await signUpUser();
    const api = await callerFor(user.headers);
    for (let guess = 0; guess < 5; guess++) {
      await expectTrpcError(api.account.delete({ password: `guess-${guess}` }), 'FORBIDDEN');
    }
    await expectTrpcError(
      api.account.delete({ password: user.password }),
      'TOO_MANY_REQUESTS',
      /try again in \d+ s/,
    );
    await expect(api.sessions.list({})).resolves.toBeDefined();
  });

  it('asks for the password', async () => {
    const user = await signUpUser();
    await expectTrpcError(
      (await callerFor(user.headers)).account.delete({ password: '' }),
      'BAD_REQUEST',
      /password: Enter your password/,
    );
  });
});
