import { postgresChangesFilter } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { testDeleteEventsMode } from '../helpers/delete-events-mode';
import { EventInbox } from './support/event-inbox';
import {
  type Change,
  clientFor,
  newUser,
  serviceDatabase,
  subscribed,
  userToken,
} from './support/realtime-fixture';
import { createTestTables, createThread, insertPost } from './support/test-tables';

const db = serviceDatabase();
beforeAll(() => createTestTables(db));
let userId: string;
let threadId: string;
let startedAt: string;

beforeAll(async () => {
  userId = newUser();
  threadId = await createThread(db, userId);
  startedAt = new Date(Date.now() - 60_000).toISOString();
});

const ROWS = [
  { content: 'alpha', seq: 1, label: null, status: 'complete' },
  { content: 'Beta, with (comma)', seq: 5, label: 'red-x', status: 'stopped' },
  { content: 'gamma "quoted"', seq: 10, label: 'green', status: 'error' },
] as const;

/** Each filter, and the contents of the rows it must let through (of ROWS, in insert order). */
const CASES: [string, () => string, string[]][] = [
  ['eq', () => 'seq=eq.5', ['Beta, with (comma)']],
  ['neq', () => 'seq=neq.5', ['alpha', 'gamma "quoted"']],
  ['lt', () => 'seq=lt.5', ['alpha']],
  ['lte', () => 'seq=lte.5', ['alpha', 'Beta, with (comma)']],
  ['gt', () => 'seq=gt.5', ['gamma "quoted"']],
  ['gte', () => 'seq=gte.5', ['Beta, with (comma)', 'gamma "quoted"']],
  ['in', () => 'seq=in.(1,10)', ['alpha', 'gamma "quoted"']],
  ['not.in', () => 'status=not.in.(complete,error)', ['Beta, with (comma)']],
  ['like', () => 'content=like.%amm%', ['gamma "quoted"']],
  ['ilike', () => 'content=ilike.beta%', ['Beta, with (comma)']],
  ['match', () => 'content=match.^a.*a$', ['alpha']],
  ['imatch', () => 'content=imatch.^GAMMA', ['gamma "quoted"']],
  ['is null', () => 'label=is.null', ['alpha']],
  ['not.is null', () => 'label=not.is.null', ['Beta, with (comma)', 'gamma "quoted"']],
  ['isdistinct', () => 'label=isdistinct.green', ['alpha', 'Beta, with (comma)']],
  [
    'quoted eq (builder)',
    () => postgresChangesFilter().eq('content', 'Beta, with (comma)').build(),
    ['Beta, with (comma)'],
  ],
  [
    'quoted in (builder)',
    () => postgresChangesFilter().in('content', ['alpha', 'gamma "quoted"']).build(),
    ['alpha', 'gamma "quoted"'],
  ],
  ['comma-AND', () => 'seq=gt.1,seq=lt.10', ['Beta, with (comma)']],
  ['timestamptz gte', () => `created_at=gte.${startedAt}`, ['alpha', 'Beta, with (comma)', 'gamma "quoted"']],
  ['not.eq', () => 'content=not.eq.alpha', ['Beta, with (comma)', 'gamma "quoted"']],
];

describe('postgres_changes filters', () => {
  it('applies every operator supabase-js can build, each binding receiving exactly its rows', async () => {
    const client = await clientFor(await userToken(userId));
    const channel = client.channel('filters');
    const inboxes = CASES.map(([name, filter]) => {
      const inbox = new EventInbox<Change>();
      channel.on(
        'postgres_changes',
        {
          event: 'INSERT',
          schema: 'rt_test',
          table: 'posts',
          filter: `thread_id=eq.${threadId},${filter()}`,
        },
        inbox.push,
      );
      return { name, inbox };
    });
    // Frames of one channel arrive in commit order: once this binding fires, every earlier row has been seen.
    const done = new EventInbox<Change>();
    channel.on(
      'postgres_changes',
      {
        event: 'INSERT',
        schema: 'rt_test',
        table: 'posts',
        filter: `thread_id=eq.${threadId},content=eq.done`,
      },
      done.push,
    );
    await subscribed(channel);

    for (const row of ROWS) await insertPost(db, userId, threadId, row);
    await insertPost(db, userId, threadId, {
      content: 'done',
      seq: 999,
      label: 'done',
      status: 'complete',
    });
    await done.next();

    const received = Object.fromEntries(
      inboxes.map(({ name, inbox }) => [
        name,
        inbox.events.map((event) => event.new.content).filter((content) => content !== 'done'),
      ]),
    );
    const expected = Object.fromEntries(CASES.map(([name, , contents]) => [name, contents]));
    expect(received).toEqual(expected);
  });

  it('evaluates like, ilike, match and imatch with Postgres semantics: escapes, case, regex classes, NULL', async () => {
    const thread = await createThread(db, userId);
    const rows = [
      { content: '50% off', seq: 1, label: null },
      { content: '50 percent', seq: 12, label: 'red-4' },
      { content: 'Under_score', seq: 2, label: 'green' },
    ];
    const patternCases: [string, string, string[]][] = [
      ['like, escaped %', 'content=like.50\\%%', ['50% off']],
      ['like, % wildcard', 'content=like.50%', ['50% off', '50 percent']],
      ['like, escaped _', 'content=like.Under\\_score', ['Under_score']],
      ['like, _ wildcard', 'content=like.50_off', []],
      ['like is case-sensitive', 'content=like.under%', []],
      ['ilike', 'content=ilike.under_SCORE', ['Under_score']],
      ['match, regex class', 'content=match.^[0-9]+ p', ['50 percent']],
      ['match is case-sensitive', 'content=match.^under', []],
      ['imatch', 'content=imatch.^UNDER', ['Under_score']],
      ['not.match', 'content=not.match.^50', ['Under_score']],
      // NULL like … is unknown, and so is its negation: the NULL-model row never passes either way.
      ['not.like over NULL', 'label=not.like.red%', ['Under_score']],
      ['like over NULL', 'label=like.%', ['50 percent', 'Under_score']],
      // A non-text column is matched as its text rendering.
      ['like on an integer column', 'seq=like.1%', ['50% off', '50 percent']],
      ['pattern AND comparison', 'content=like.50%,seq=gt.5', ['50 percent']],
    ];
    const client = await clientFor(await userToken(userId));
    const channel = client.channel('pattern-filters');
    const inboxes = patternCases.map(([name, filter]) => {
      const inbox = new EventInbox<Change>();
      channel.on(
        'postgres_changes',
        {
          event: 'INSERT',
          schema: 'rt_test',
          table: 'posts',
          filter: `thread_id=eq.${thread},${filter}`,
        },
        inbox.push,
      );
      return { name, inbox };
    });
    const done = new EventInbox<Change>();
    channel.on(
      'postgres_changes',
      {
        event: 'INSERT',
        schema: 'rt_test',
        table: 'posts',
        filter: `thread_id=eq.${thread},content=eq.done`,
      },
      done.push,
    );
    await subscribed(channel);

    for (const row of rows) await insertPost(db, userId, thread, row);
    await insertPost(db, userId, thread, { content: 'done' });
    await done.next();

    const received = Object.fromEntries(
      inboxes.map(({ name, inbox }) => [
        name,
        inbox.events.map((event) => event.new.content).filter((content) => content !== 'done'),
      ]),
    );
    expect(received).toEqual(Object.fromEntries(patternCases.map(([name, , contents]) => [name, contents])));
  });

  it('applies pattern filters to a DELETE only after the SELECT policies admitted the old row', async () => {
    const otherUser = newUser();
    const otherThread = await createThread(db, otherUser);
    const thread = await createThread(db, userId);
    const client = await clientFor(await userToken(userId));
    const deletes = new EventInbox<Change>();
    const channel = client
      .channel('delete-pattern')
      .on(
        'postgres_changes',
        { event: 'DELETE', schema: 'rt_test', table: 'posts', filter: 'content=like.delete%' },
        deletes.push,
      );
    await subscribed(channel);
    const theirs = await insertPost(db, otherUser, otherThread, { content: 'delete theirs' });
    const kept = await insertPost(db, userId, thread, { content: 'keep me' });
    const mine = await insertPost(db, userId, thread, { content: 'delete mine' });
    await db.query('delete from rt_test.posts where id = any($1)', [[theirs, kept]]);
    await db.query('delete from rt_test.posts where id = $1', [mine]);
    await deletes.next((event) => event.old.id === mine);
    if (testDeleteEventsMode() === 'strict') {
      expect(deletes.events.map((event) => event.old.id)).toEqual([mine]);
    } else {
      // Hosted Supabase's DELETEs: no policy is asked, the filter alone picks the deleted rows, sent key only
      // (other files' deleted rows may arrive too: they share the table).
      const ours = [theirs, kept, mine];
      const seen = deletes.events.map((event) => event.old).filter((old) => ours.includes(old.id as string));
      expect(seen).toEqual([{ id: theirs }, { id: mine }]);
    }
  });

  it.each([
    [
      'a pattern over 256 characters',
      `content=like.${'%a'.repeat(129)}`,
      /like pattern longer than 256 characters/,
    ],
    ['an invalid regular expression', 'content=match.[z-a]', /invalid regular expression/],
    [
      'a regular expression too complex to compile quickly',
      'content=match.((((((a{1,10}){1,10}){1,10}){1,10}){1,10}){1,10})',
      /regular expression is too complex/,
    ],
    [
      'a like pattern ending in its escape character',
      'content=like.abc\\',
      /must not end with the escape character/,
    ],
  ])('refuses %s at join with a postgres_changes system error', async (_, filter, reason) => {
    const client = await clientFor(await userToken(userId));
    const system = new EventInbox<{ extension: string; status: string; message: string }>();
    const channel = client
      .channel(`refused-pattern-${filter.length}`)
      .on('postgres_changes', { event: 'INSERT', schema: 'rt_test', table: 'posts', filter }, () => {})
      .on('system', {}, system.push);
    await subscribed(channel);
    const message = await system.next((event) => event.extension === 'postgres_changes');
    expect(message.status).toBe('error');
    expect(message.message).toMatch(/^Error parsing `filter` params: /);
    expect(message.message).toMatch(reason);
  });

  it('matches DELETE filters against the old row', async () => {
    const client = await clientFor(await userToken(userId));
    const deletes = new EventInbox<Change>();
    const channel = client
      .channel('delete-filter')
      .on(
        'postgres_changes',
        { event: 'DELETE', schema: 'rt_test', table: 'posts', filter: `thread_id=eq.${threadId}` },
        deletes.push,
      );
    await subscribed(channel);
    const otherThread = await createThread(db, userId);
    const elsewhere = await insertPost(db, userId, otherThread, { content: 'elsewhere' });
    const here = await insertPost(db, userId, threadId, { content: 'to delete' });
    await db.query('delete from rt_test.posts where id = $1', [elsewhere]);
    await db.query('delete from rt_test.posts where id = $1', [here]);
    await deletes.next((event) => event.old.id === here);
    expect(deletes.events.map((event) => event.old.id)).toEqual([here]);
  });

  it('reports a filter Postgres cannot cast as a system error, not a channel error', async () => {
    const client = await clientFor(await userToken(userId));
    const system = new EventInbox<{ extension: string; status: string; message: string }>();
    const channel = client
      .channel('bad-filter')
      .on(
        'postgres_changes',
        { event: '*', schema: 'rt_test', table: 'posts', filter: 'seq=eq.not-a-number' },
        () => {},
      )
      .on('system', {}, system.push);
    await subscribed(channel);
    const message = await system.next((event) => event.extension === 'postgres_changes');
    expect(message.status).toBe('error');
    expect(message.message).toMatch(/^Error parsing `filter` params/);
  });

  it('reports a table outside the publication as a system error', async () => {
    const client = await clientFor(await userToken(userId));
    const system = new EventInbox<{ extension: string; status: string; message: string }>();
    const channel = client
      .channel('not-published')
      .on('postgres_changes', { event: 'INSERT', schema: 'rt_test', table: 'unpublished' }, () => {})
      .on('system', {}, system.push);
    await subscribed(channel);
    const message = await system.next((event) => event.extension === 'postgres_changes');
    expect(message.status).toBe('error');
    expect(message.message).toMatch(/^Unable to subscribe to changes with given parameters/);
  });
});
