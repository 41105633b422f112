import { describe, expect, it } from 'vitest';
import { expectTrpcError } from '../helpers/trpc-errors';
import { anonymousHeaders, callerFor, signUpUser } from '../helpers/users';

describe('sessions procedures', () => {
  it("creates, lists, gets, renames, pins and deletes the user's sessions", async () => {
    const user = await signUpUser();
    const api = await callerFor(user.headers);

    const created = await api.sessions.create({ title: 'Trip to Lisbon' });
    expect(created).toMatchObject({ title: 'Trip to Lisbon', pinnedAt: null });
    const untitled = await api.sessions.create({});
    expect(untitled.title).toBe('New chat');

    const { items, nextCursor } = await api.sessions.list({});
    expect(items.map((s) => s.id)).toEqual([untitled.id, created.id]);
    expect(nextCursor).toBeNull();

    expect(await api.sessions.get({ id: created.id })).toMatchObject({
      id: created.id,
      title: 'Trip to Lisbon',
    });
    expect(await api.sessions.rename({ id: created.id, title: '  Lisbon, May  ' })).toMatchObject({
      title: 'Lisbon, May',
    });
    expect((await api.sessions.pin({ id: created.id, pinned: true })).pinnedAt).toBeInstanceOf(Date);
    expect((await api.sessions.pin({ id: created.id, pinned: false })).pinnedAt).toBeNull();

    await api.sessions.delete({ id: created.id });
    await expectTrpcError(api.sessions.get({ id: created.id }), 'NOT_FOUND');
    expect((await api.sessions.list({})).items.map((s) => s.id)).toEqual([untitled.id]);
  });

  it('finds sessions by title, treating % and _ literally', async () => {
    const api = await callerFor((await signUpUser()).headers);
    await api.sessions.create({ title: 'Rust lifetimes' });
    await api.sessions.create({ title: 'Sourdough 100% hydration' });
    await api.sessions.create({ title: 'Tax return' });

    expect((await api.sessions.list({ search: 'RUST' })).items.map((s) => s.title)).toEqual([
      'Rust lifetimes',
    ]);
    expect((await api.sessions.list({ search: '100%' })).items.map((s) => s.title)).toEqual([
      'Sourdough 100% hydration',
    ]);
    expect((await api.sessions.list({ search: '%' })).items.map((s) => s.title)).toEqual([
      'Sourdough 100% hydration',
    ]);
  });

  it('refuses bad input with BAD_REQUEST naming the field', async () => {
    const api = await callerFor((await signUpUser()).headers);
    await expectTrpcError(api.sessions.get({ id: 'not-a-uuid' }), 'BAD_REQUEST', /^id: /);
    await expectTrpcError(api.sessions.create({ title: 'x'.repeat(201) }), 'BAD_REQUEST', /title: .*200/);
    await expectTrpcError(api.sessions.list({ limit: 101 }), 'BAD_REQUEST', /limit: /);
    await expectTrpcError(api.sessions.list({ cursor: 'garbage' }), 'BAD_REQUEST', /cursor: Invalid cursor/);
    const { id } = await api.sessions.create({});
    await expectTrpcError(api.sessions.rename({ id, title: '   ' }), 'BAD_REQUEST', /title: Title is empty/);
    // @ts-expect-error: pinned must be a boolean
    await expectTrpcError(api.sessions.pin({ id, pinned: 'yes' }), 'BAD_REQUEST', /pinned: /);
  });

  it('refuses every sessions procedure without a session', async () => {
    const api = await callerFor(anonymousHeaders());
    const id = crypto.randomUUID();
    await expectTrpcError(api.sessions.list({}), 'UNAUTHORIZED');
    await expectTrpcError(api.sessions.get({ id }), 'UNAUTHORIZED');
    await expectTrpcError(api.sessions.create({}), 'UNAUTHORIZED');
    await expectTrpcError(api.sessions.rename({ id, title: 'x' }), 'UNAUTHORIZED');
    await expectTrpcError(api.sessions.pin({ id, pinned: true }), 'UNAUTHORIZED');
    await expectTrpcError(api.sessions.delete({ id }), 'UNAUTHORIZED');
  });
});
