import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { requestFrom } from '../helpers/route-server';

const appUrl = inject('appUrl');

/**
 * The socket address reaches the app through Next itself (src/instrumentation.ts stamps every request), not
 * through X-Forwarded-For, which Next passes on as the client wrote it. No browser needed: plain HTTP from a
 * chosen loopback address to the real `next dev` of the e2e run.
 */
describe.runIf(appUrl !== '')('client address through a real Next server', () => {
  it("records a new session's address from the socket, whatever X-Forwarded-For and our own headers claim", async () => {
    // The app binds 127.0.0.1; a client on 127.0.0.7 reaches it as itself (all of 127.0.0.0/8 is loopback).
    const url = new URL(appUrl);
    const direct = `http://127.0.0.1:${url.port}`;
    const forged = {
      'x-forwarded-for': '203.0.113.99',
      'x-chattwelve-peer-address': '203.0.113.98',
      'x-chattwelve-client-address': '203.0.113.97',
    };
    const email = `socket-${randomUUID()}@example.test`;
    const signedUp = await requestFrom('127.0.0.7', `${direct}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url.origin, ...forged },
      body: JSON.stringify({ email, password: `pw-${randomUUID()}`, name: 'Socket' }),
    });
    expect(signedUp.status).toBe(200);
    const cookie = [signedUp.headers['set-cookie'] ?? []]
      .flat()
      .map((c) => c.split(';')[0])
      .join('; ');

    const devices = await requestFrom(
      '127.0.0.7',
      `${direct}/api/trpc/devices.list?input=${encodeURIComponent(JSON.stringify({ json: null }))}`,
      { headers: { cookie, origin: url.origin, ...forged } },
    );
    expect(devices.status).toBe(200);
    const list = JSON.parse(devices.text).result.data.json as { ipAddress: string | null }[];
    expect(list.map((device) => device.ipAddress)).toEqual(['127.0.0.7']);
  });
});
