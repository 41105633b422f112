import { toNextJsHandler } from 'better-auth/next-js';
import { env } from '@/env';
import { auth } from '@/server/auth';
import {
  CLIENT_ADDRESS_HEADER,
  unknownClientAddressResponse,
  withClientAddress,
} from '@/server/client-address/client-address';
import { undeclaredProxy, undeclaredProxyResponse } from '@/server/client-address/undeclared-proxy';
import { withCappedBody } from '@/server/request-body/capped-body';

export const dynamic = 'force-dynamic';

/** Auth bodies are an address, a password, a name, a code: a few hundred bytes. */
const MAX_BODY_BYTES = 64 * 1024;

/** The request as BetterAuth must see it: body capped, the client's address resolved from the socket. */
async function prepared(request: Request): Promise<Request | Response> {
  const capped = await withCappedBody(request, MAX_BODY_BYTES);
  if (capped instanceof Response) return capped;
  const headers = withClientAddress(capped.headers);
  // Rate limits per address need the true address; production refuses to guess (development and tests fall
  // back to one local bucket).
  if (env().NODE_ENV === 'production') {
    if (!headers.has(CLIENT_ADDRESS_HEADER)) return unknownClientAddressResponse();
    const proxy = undeclaredProxy(capped.headers);
    if (proxy) return undeclaredProxyResponse(proxy);
  }
  return new Request(capped, { headers });
}

// Resolved per request, so `next build` never needs the production secrets.
export const GET = async (request: Request) => {
  const req = await prepared(request);
  return req instanceof Response ? req : toNextJsHandler(auth()).GET(req);
};
export const POST = async (request: Request) => {
  const req = await prepared(request);
  return req instanceof Response ? req : toNextJsHandler(auth()).POST(req);
};
