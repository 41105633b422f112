import fc from 'fast-check';

/**
 * What a broken or hostile client may send, as fast-check arbitraries: Phoenix frames with valid and wrong
 * shapes, deep nesting, huge strings, unknown events, vsn 1 objects, text garbage and binary garbage.
 */
export type SocketStep =
  | { kind: 'frame'; data: string | Buffer }
  | { kind: 'close' }
  | { kind: 'terminate' }
  | { kind: 'yield' };

export interface SocketScript {
  vsn: '1.0.0' | '2.0.0';
  steps: SocketStep[];
}

const anyTopic = fc.constantFrom(
  'realtime:lobby',
  'realtime:soak-a',
  'realtime:soak-b',
  'realtime:',
  'lobby',
  '',
);
const ref = fc.oneof(
  { weight: 6, arbitrary: fc.constant('"1"') },
  fc.constant('null'),
  fc.nat(20).map((n) => JSON.stringify(String(n))),
  fc.integer().map(String),
  fc.constantFrom('true', '{}', '[]', '"\\u0000"'),
);
// fast-check leans to small integers, so the depths that matter are named: just over the limit, and deep
// enough to overflow JSON.stringify's recursion.
const deep = fc
  .oneof(fc.constantFrom(65, 5_000, 20_000, 30_000), fc.integer({ min: 60, max: 30_000 }))
  .map((levels) => `{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`);
const huge = fc.integer({ min: 10_000, max: 1_000_000 }).map((length) => `{"s":"${'x'.repeat(length)}"}`);
const jsonValue = fc.json({ maxDepth: 5 });
const payload = fc.oneof(
  { weight: 3, arbitrary: jsonValue },
  { weight: 2, arbitrary: deep },
  { weight: 1, arbitrary: huge },
);

const joinPayload = fc
  .record({
    presence: fc.oneof(fc.boolean(), fc.constantFrom('"true"', '"yes"', '1')),
    isPrivate: fc.oneof(fc.boolean(), fc.constantFrom('"true"', 'null', '[]')),
    postgresChanges: fc.constantFrom(
      '[]',
      '"not a list"',
      '[{"event":5}]',
      // a published RLS table (test-tables.ts) the anon or garbage identities may not read
      '[{"event":"*","schema":"rt_test","table":"posts"}]',
      '[{"event":"INSERT","schema":"public","table":"no_such_table","filter":"id=eq.1"}]',
    ),
    token: fc.constantFrom('null', '"garbage"', '"sb_publishable_x"', '""', '5'),
  })
  .map(
    ({ presence, isPrivate, postgresChanges, token }) =>
      `{"config":{"presence":{"enabled":${presence}},"private":${isPrivate},"postgres_changes":${postgresChanges}},"access_token":${token}}`,
  );

const eventAndPayload = fc.oneof(
  { weight: 2, arbitrary: joinPayload.map((body) => ['phx_join', body] as const) },
  fc.constant(['phx_leave', '{}'] as const),
  payload.map((body) => ['broadcast', `{"type":"broadcast","event":"e","payload":${body}}`] as const),
  fc
    .tuple(fc.constantFrom('track', 'untrack', 'TRACK', 'nonsense'), payload)
    .map(
      ([event, body]) => ['presence', `{"type":"presence","event":"${event}","payload":${body}}`] as const,
    ),
  fc
    .constantFrom('"garbage"', '5', 'null')
    .map((token) => ['access_token', `{"access_token":${token}}`] as const),
  fc.constant(['heartbeat', '{}'] as const),
  fc.tuple(fc.string({ maxLength: 12 }), payload).map(([event, body]) => [event, body] as const),
);

/** A Phoenix frame, mostly in the socket's own framing and on its home topic, so joins lead somewhere. */
const phoenixFrame = (vsn: SocketScript['vsn'], home: string) =>
  fc
    .tuple(
      ref,
      ref,
      fc.oneof({ weight: 5, arbitrary: fc.constant(home) }, anyTopic),
      eventAndPayload,
      fc.oneof({ weight: 5, arbitrary: fc.constant(vsn === '1.0.0') }, fc.boolean()),
    )
    .map(([joinRef, pushRef, name, [event, body], asObject]) =>
      asObject
        ? `{"topic":${JSON.stringify(event === 'heartbeat' ? 'phoenix' : name)},"event":${JSON.stringify(event)},"payload":${body},"ref":${pushRef},"join_ref":${joinRef}}`
        : `[${joinRef},${pushRef},${JSON.stringify(event === 'heartbeat' ? 'phoenix' : name)},${JSON.stringify(event)},${body}]`,
    );

const wrongShapes = fc.oneof(
  fc.string({ maxLength: 200 }),
  jsonValue,
  fc.constantFrom('[', '[null,null,null,null]', '["1","1",5,"phx_join",{}]', '{"topic":[],"event":{}}', '"'),
);

const binaryGarbage = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc
    .tuple(fc.uint8Array({ minLength: 6, maxLength: 6 }), fc.uint8Array({ maxLength: 200 }))
    .map(([header, rest]) => Buffer.concat([Buffer.from([3]), Buffer.from(header), Buffer.from(rest)])),
  fc
    .tuple(fc.constantFrom('realtime:lobby', 'realtime:soak-a'), deep, fc.constantFrom(0, 1, 7))
    .map(([name, body, encoding]) => {
      const parts = ['1', '2', name, 'e', ''].map((text) => Buffer.from(text));
      const header = Buffer.from([3, ...parts.map((part) => part.length), encoding]);
      return Buffer.concat([header, ...parts, Buffer.from(body)]);
    }),
);

const stepFor = (vsn: SocketScript['vsn'], home: string): fc.Arbitrary<SocketStep> =>
  fc.oneof(
    { weight: 12, arbitrary: phoenixFrame(vsn, home).map((data) => ({ kind: 'frame' as const, data })) },
    { weight: 3, arbitrary: wrongShapes.map((data) => ({ kind: 'frame' as const, data })) },
    { weight: 3, arbitrary: binaryGarbage.map((data) => ({ kind: 'frame' as const, data })) },
    { weight: 2, arbitrary: fc.constant({ kind: 'yield' as const }) },
    { weight: 1, arbitrary: fc.constantFrom({ kind: 'close' as const }, { kind: 'terminate' as const }) },
  );

/** One socket's life: its framing, then up to 25 steps that mostly concern one home topic. */
export const socketScript: fc.Arbitrary<SocketScript> = fc
  .record({
    vsn: fc.constantFrom<SocketScript['vsn']>('1.0.0', '2.0.0'),
    home: fc.constantFrom('realtime:lobby', 'realtime:soak-a'),
  })
  .chain(({ vsn, home }) =>
    fc.array(stepFor(vsn, home), { minLength: 5, maxLength: 25 }).map((steps) => ({ vsn, steps })),
  );
