import { describe, expect, it } from 'vitest';
import { expectTrpcError } from '../helpers/trpc-errors';
import { anonymousHeaders, callerFor, signUpUser } from '../helpers/users';

describe('profile procedures', () => {
  it('returns the profile made at sign-up and updates it', async () => {
    const user = await signUpUser('Ada Lovelace');
    const api = await callerFor(user.headers);
    expect(await api.profile.get()).toMatchObject({
      id: user.id,
      email: user.email,
      displayName: 'Ada Lovelace',
    });

    const updated = await api.profile.update({
      displayName: 'Ada',
      avatarUrl: 'https://example.test/ada.png',
    });
    expect(updated).toMatchObject({ displayName: 'Ada', avatarUrl: 'https://example.test/ada.png' });
    expect(await api.profile.get()).toMatchObject({
      displayName: 'Ada',
      avatarUrl: 'https://example.test/ada.png',
    });
    expect(await api.profile.update({ avatarUrl: null })).toMatchObject({
      displayName: 'Ada',
      avatarUrl: null,
    });
  });

  it('refuses bad profile input naming the field', async () => {
    const api = await callerFor((await signUpUser()).headers);
    await expectTrpcError(
      api.profile.update({ avatarUrl: 'javascript:alert(1)' }),
      'BAD_REQUEST',
      /avatarUrl: /,
    );
    await expectTrpcError(
      api.profile.update({ displayName: 'x'.repeat(81) }),
      'BAD_REQUEST',
      /displayName: /,
    );
    await expectTrpcError(api.profile.update({}), 'BAD_REQUEST', /Nothing to update/);
  });

  it('refuses profile procedures without a session', async () => {
    const api = await callerFor(anonymousHeaders());
    await expectTrpcError(api.profile.get(), 'UNAUTHORIZED');
    await expectTrpcError(api.profile.update({ displayName: 'x' }), 'UNAUTHORIZED');
  });
});

describe('system prompt procedures', () => {
  it("lists the global default, then the user's own prompts, and moves the default between them", async () => {
    const api = await callerFor((await signUpUser()).headers);
    const [global] = await api.prompts.list();
    expect(global).toMatchObject({ isGlobal: true, isDefault: true });

    const pirate = await api.prompts.create({ name: 'Pirate', content: 'Answer like a pirate.' });
    const terse = await api.prompts.create({
      name: 'Terse',
      content: 'One sentence answers.',
      isDefault: true,
    });
    expect(pirate.isDefault).toBe(false);
    expect(terse.isDefault).toBe(true);

    await api.prompts.setDefault({ id: pirate.id });
    let own = (await api.prompts.list()).filter((p) => !p.isGlobal);
    expect(own.map((p) => [p.name, p.isDefault])).toEqual([
      ['Pirate', true],
      ['Terse', false],
    ]);

    expect(await api.prompts.update({ id: terse.id, content: 'Two sentences.' })).toMatchObject({
      name: 'Terse',
      content: 'Two sentences.',
    });
    await api.prompts.setDefault({ id: null });
    await api.prompts.delete({ id: pirate.id });
    own = (await api.prompts.list()).filter((p) => !p.isGlobal);
    expect(own.map((p) => [p.name, p.isDefault])).toEqual([['Terse', false]]);
  });

  it('never lets a user edit or delete a global prompt', async () => {
    const api = await callerFor((await signUpUser()).headers);
    const global = (await api.prompts.list()).find((p) => p.isGlobal);
    if (!global) throw new Error('seed did not create the global prompt');
    await expectTrpcError(api.prompts.update({ id: global.id, name: 'Mine now' }), 'NOT_FOUND');
    await expectTrpcError(api.prompts.delete({ id: global.id }), 'NOT_FOUND');
    await expectTrpcError(api.prompts.setDefault({ id: global.id }), 'NOT_FOUND');
    expect((await api.prompts.list()).find((p) => p.id === global.id)).toEqual(global);
  });

  it('refuses bad prompt input naming the field', async () => {
    const api = await callerFor((await signUpUser()).headers);
    await expectTrpcError(
      api.prompts.create({ name: '', content: 'x' }),
      'BAD_REQUEST',
      /name: Name is empty/,
    );
    await expectTrpcError(
      api.prompts.create({ name: 'x', content: 'y'.repeat(20001) }),
      'BAD_REQUEST',
      /content: /,
    );
    await expectTrpcError(
      api.prompts.update({ id: crypto.randomUUID() }),
      'BAD_REQUEST',
      /Nothing to update/,
    );
    await expectTrpcError(api.prompts.delete({ id: '42' }), 'BAD_REQUEST', /id: Invalid prompt id/);
  });

  it('refuses prompt procedures without a session', async () => {
    const api = await callerFor(anonymousHeaders());
    const id = crypto.randomUUID();
    await expectTrpcError(api.prompts.list(), 'UNAUTHORIZED');
    await expectTrpcError(api.prompts.create({ name: 'a', content: 'b' }), 'UNAUTHORIZED');
    await expectTrpcError(api.prompts.update({ id, name: 'a' }), 'UNAUTHORIZED');
    await expectTrpcError(api.prompts.delete({ id }), 'UNAUTHORIZED');
    await expectTrpcError(api.prompts.setDefault({ id }), 'UNAUTHORIZED');
  });
});
