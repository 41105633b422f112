// Per-address limits behind a reverse proxy: X-Forwarded-For counts only when the TCP peer is a configured
// trusted proxy, and then only its right-most untrusted hop; a client cannot mint addresses with the header.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { ANON_KEY } from './support/realtime-fixture';
import { type RealtimeProcess, startRealtimeProcess } from './support/realtime-process';

const PER_ADDRESS = 2;
let direct: RealtimeProcess;
let proxied: RealtimeProcess;
const open: WebSocket[] = [];

beforeAll(async () => {
  [direct, proxied] = await Promise.all([
    startRealtimeProcess(inject('databaseUrl'), { maxConnectionsPerIp: PER_ADDRESS }),
    startRealtimeProcess(
      inject('databaseUrl'),
      { maxConnectionsPerIp: PER_ADDRESS },
      { trustedProxies: ['127.0.0.1', '10.9.0.0/16'] },
    ),
  ]);
});
afterAll(async () => {
  for (const socket of open) socket.terminate();
  await Promise.all([direct?.stop(), proxied?.stop()]);
});

/** Opens a websocket with the given X-Forwarded-For; resolves 101 when upgraded, else the HTTP status. */
function connect(server: RealtimeProcess, forwardedFor: string): Promise<number> {
  const url = `${server.url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${ANON_KEY}&vsn=2.0.0`;
  const socket = new WebSocket(url, { headers: { 'x-forwarded-for': forwardedFor } });
  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      open.push(socket);
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', reject);
  });
}

describe('per-address socket limit and X-Forwarded-For', () => {
  it('ignores the header from a peer that is not a trusted proxy: fresh fake addresses do not buy sockets', async () => {
    const statuses = [];
    for (let index = 0; index <= PER_ADDRESS; index++)
      statuses.push(await connect(direct, `203.0.113.${index}`));
    expect(statuses).toEqual([...Array(PER_ADDRESS).fill(101), 429]);
  });

  it('counts each client behind a trusted proxy on its own, by the right-most hop the proxy did not add', async () => {
    // Two clients behind the proxy: each has its own budget.
    for (const client of ['198.51.100.1', '198.51.100.2']) {
      const statuses = [];
      for (let index = 0; index <= PER_ADDRESS; index++) statuses.push(await connect(proxied, client));
      expect(statuses).toEqual([...Array(PER_ADDRESS).fill(101), 429]);
    }
    // A client that writes its own left-most hops is still the address the proxy saw (right-most, past the
    // trusted 10.9.x.x hop), whose budget is spent.
    expect(await connect(proxied, '192.0.2.77, 198.51.100.1, 10.9.3.4')).toBe(429);
  });
});
