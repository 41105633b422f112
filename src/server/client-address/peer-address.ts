import http, { type IncomingMessage } from 'node:http';

// No `import 'server-only'`: src/instrumentation.ts loads this outside the react-server bundles, where that
// guard throws. Nothing here is client code either way (node:http).

/**
 * The address of the TCP peer that sent a request, written by this process from the socket. Next hands route
 * handlers only headers, and sets x-forwarded-for from the socket only when the client sent none (`??=` in
 * next/dist/server/base-server.js), so x-forwarded-for alone cannot tell a client's own claim from the truth.
 */
export const PEER_ADDRESS_HEADER = 'x-chattwelve-peer-address';

/** Overwrites whatever the client sent under PEER_ADDRESS_HEADER with the socket's remote address. */
export function stampPeerAddress(request: IncomingMessage): void {
  request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? '';
}

const globalForStamp = globalThis as unknown as { chattwelvePeerStampInstalled?: boolean };

/**
 * Stamps every request any http.Server of this process receives (`next start` and `next dev` create theirs
 * before the app's code loads, so the prototype is the one place to reach it). Called from instrumentation.
 */
export function stampPeerAddressOnEveryRequest(): void {
  if (globalForStamp.chattwelvePeerStampInstalled) return;
  globalForStamp.chattwelvePeerStampInstalled = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emitWithPeerAddress(
    this: http.Server,
    event: string | symbol,
    ...args: unknown[]
  ): boolean {
    if (event === 'request') stampPeerAddress(args[0] as IncomingMessage);
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  };
}
