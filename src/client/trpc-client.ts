import { createTRPCClient, httpBatchLink, httpLink, splitLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '@/server/router';

/**
 * The browser's tRPC client: same-origin, cookies included. Types only come from the server.
 * Queries are batched (a page's reads share a request); a mutation leaves at once, in its own request: the
 * batch waits for a timer, which a send would spend behind the render it starts (≈ 9 ms measured).
 */
export const trpc = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (operation) => operation.type === 'mutation',
      true: httpLink({ url: '/api/trpc', transformer: superjson }),
      false: httpBatchLink({ url: '/api/trpc', transformer: superjson }),
    }),
  ],
});
