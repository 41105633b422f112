import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GET as exportDownload } from '@/app/api/exports/[id]/route';
import { startChatEngine } from '@/server/chat-engine/chat-engine';
import { logger } from '@/server/observability/logger';
import { createCaller } from '@/server/router';
import { createContext } from '@/server/trpc';
import { FAKE_MODEL, provider } from '../engine/support/engine-env';
import { expectTrpcError } from '../helpers/trpc-errors';
import { signUpUser } from '../helpers/users';

afterAll(async () => {
  await startChatEngine().shutdown();
  await provider.close();
});

/** Everything the app writes to stdout while a test runs: the real log output, one JSON object a line. */
let written: string[] = [];
let previousLevel: string;

beforeEach(() => {
  written = [];
  previousLevel = logger().level;
  logger().level = 'info';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  logger().level = previousLevel;
});

function logLines(): Record<string, unknown>[] {
  return written
    .join('')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('JSON logs', () => {
  it('write one line per tRPC call with its request id, and never message contents, titles, passwords or cookies', async () => {
    const secretQuestion = `SECRET-QUESTION-${randomUUID()}`;
    const secretAnswer = `SECRET-ANSWER-${randomUUID()}`;
    const secretTitle = `SECRET-TITLE-${randomUUID()}`;
    const cue = `cue-${randomUUID()}`;
    provider.script(cue, { tokens: [secretAnswer, ' indeed'] });

    const user = await signUpUser();
    const requestId = `req-log-${randomUUID()}`;
    const headers = new Headers(user.headers);
    headers.set('x-request-id', requestId);
    const resHeaders = new Headers();
    const api = createCaller(await createContext({ headers, resHeaders }));
    expect(resHeaders.get('x-request-id')).toBe(requestId);

    const session = await api.sessions.create({ title: secretTitle });
    await api.chat.send({
      sessionId: session.id,
      clientMessageId: randomUUID(),
      content: `${secretQuestion} ${cue}`,
      model: FAKE_MODEL,
    });
    await startChatEngine().idle();
    await expectTrpcError(api.sessions.get({ id: randomUUID() }), 'NOT_FOUND');

    const lines = logLines();
    const calls = lines.filter((line) => line.requestId === requestId);
    expect(calls.map((line) => [line.procedure, line.msg, line.code])).toEqual([
      ['sessions.create', 'trpc call', undefined],
      ['chat.send', 'trpc call', undefined],
      ['sessions.get', 'trpc call refused', 'NOT_FOUND'],
    ]);
    for (const line of calls) {
      expect(line).toMatchObject({ level: 'info', service: 'chattwelve', userId: user.id });
      expect(typeof line.durationMs).toBe('number');
      expect(Number.isNaN(Date.parse(String(line.time)))).toBe(false);
    }

    const everything = written.join('');
    const cookieValue = decodeURIComponent(user.headers.get('cookie')?.split('=')[1] ?? '');
    for (const secret of [secretQuestion, secretAnswer, secretTitle, user.password, cookieValue]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(everything).not.toContain(secret);
    }
  });

  it('gives every call without a proxy request id its own new one', async () => {
    const user = await signUpUser();
    for (let i = 0; i < 2; i++)
      await (
        await createCaller(await createContext({ headers: user.headers, resHeaders: new Headers() }))
      ).sessions.list({});
    const ids = logLines()
      .filter((line) => line.procedure === 'sessions.list' && line.userId === user.id)
      .map((line) => line.requestId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('replaces a request id that could forge log lines with a new one', async () => {
    const user = await signUpUser();
    const headers = new Headers(user.headers);
    headers.set('x-request-id', 'abc","level":"fatal","forged":"yes');
    const resHeaders = new Headers();
    await createCaller(await createContext({ headers, resHeaders })).sessions.list({});
    expect(resHeaders.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(logLines().some((line) => line.level === 'fatal' || 'forged' in line)).toBe(false);
  });

  it('write one line per route request with its request id and status, echoed to the client', async () => {
    const user = await signUpUser();
    const headers = new Headers(user.headers);
    headers.set('x-request-id', 'req-route-00000001');
    const id = randomUUID();
    const response = await exportDownload(
      new Request(`http://localhost:3000/api/exports/${id}?format=json&token=SECRET-QUERY`, { headers }),
      { params: Promise.resolve({ id }) },
    );
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('req-route-00000001');
    const line = logLines().find((l) => l.requestId === 'req-route-00000001');
    expect(line).toMatchObject({ route: '/api/exports/[id]', method: 'GET', status: 404, msg: 'route' });
    expect(written.join('')).not.toContain('SECRET-QUERY');
  });

  it('redacts secret-looking fields wherever a caller passes them by mistake', () => {
    logger().info(
      { password: 'hunter22', user: { token: 'tok-123', profile: { content: 'private words' } } },
      'x',
    );
    const [line] = logLines();
    expect(line).toMatchObject({
      password: '[redacted]',
      user: { token: '[redacted]', profile: { content: '[redacted]' } },
    });
  });
});
