import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { withCappedBody } from '@/server/request-body/capped-body';
import { appRouter } from '@/server/router';
import { createContext } from '@/server/trpc';

export const dynamic = 'force-dynamic';

/**
 * The largest input (a 32,000-character message, every character escaped) is far below this, also in a
 * batch; anything larger is refused before it is read, not after 50 MB of it were.
 */
const MAX_BODY_BYTES = 1024 * 1024;

async function handler(request: Request) {
  const req = await withCappedBody(request, MAX_BODY_BYTES);
  if (req instanceof Response) return req;
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: ({ resHeaders }) => createContext({ headers: req.headers, resHeaders }),
  });
}

export { handler as GET, handler as POST };
