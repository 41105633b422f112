import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requestFrom } from '../helpers/route-server';
import { appUrl, waitForTheApp } from './support/browser';

/** Forged copies of the headers the app sets for itself, which no client may choose. */
const forgedOwnHeaders = {
  'x-chattwelve-peer-address': '203.0.113.98',
  'x-chattwelve-client-address': '203.0.113.97',
};

/** Signs up from `from` with `headers`; the recorded device addresses, or the refusal's status. */
async function signUpFrom(
  from: string,
  headers: Record<string, string>,
): Promise<{ status: number; addresses?: (string | null)[] }> {
  const url = new URL(appUrl);
  const direct = `http://127.0.0.1:${url.port}`;
  const signedUp = await requestFrom(from, `${direct}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url.origin, ...headers },
    body: JSON.stringify({
      email: `socket-${randomUUID()}@example.test`,
      password: `pw-${randomUUID()}`,
      name: 'Socket',
    }),
  });
  if (signedUp.status !== 200) return { status: signedUp.status };
  const cookie = [signedUp.headers['set-cookie'] ?? []]
    .flat()
    .map((c) => c.split(';')[0])
    .join('; ');
  const devices = await requestFrom(
    from,
    `${direct}/api/trpc/devices.list?input=${encodeURIComponent(JSON.stringify({ json: null }))}`,
    { headers: { cookie, origin: url.origin, ...headers } },
  );
  expect(devices.status).toBe(200);
  const list = JSON.parse(devices.text).result.data.json as { ipAddress: string | null }[];
  return { status: 200, addresses: list.map((device) => device.ipAddress) };
}

/**
 * The socket address reaches the app through Next itself (src/instrumentation.ts stamps every request); only
 * a declared proxy's X-Forwarded-For is believed. The e2e app is a production build behind a declared proxy on
 * 127.0.0.1 (TRUSTED_PROXIES, tests/helpers/e2e-setup.ts). No browser needed: plain HTTP from a chosen
 * loopback address (all of 127.0.0.0/8 is loopback).
 */
describe.runIf(appUrl !== '')('client address through a real Next server', () => {
  waitForTheApp();

  it("records a direct client's socket address, whatever our own headers claim", async () => {
    expect(await signUpFrom('127.0.0.7', forgedOwnHeaders)).toEqual({
      status: 200,
      addresses: ['127.0.0.7'],
    });
  });

  it("believes the declared proxy's X-Forwarded-For, right-most hop first, and nothing else", async () => {
    const viaProxy = await signUpFrom('127.0.0.1', {
      'x-forwarded-for': '203.0.113.5, 203.0.113.99',
      ...forgedOwnHeaders,
    });
    expect(viaProxy).toEqual({ status: 200, addresses: ['203.0.113.99'] });
  });

  it('refuses auth from an undeclared local proxy (one carrying X-Forwarded-For) instead of guessing', async () => {
    const undeclared = await signUpFrom('127.0.0.7', { 'x-forwarded-for': '203.0.113.99' });
    expect(undeclared.status).toBe(503);
  });
});
