/**
 * Runs once when a Next server starts. Next compiles this file for the Edge runtime as well, where Node APIs
 * (process.exit, node:net, pg) do not exist: everything here sits behind NEXT_RUNTIME — Next's own build-time
 * switch (its documented pattern), not app configuration — and is imported only on Node.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { exitOnInvalidEnvironment, startChatEngineWithServer } = await import('./instrumentation-node');
    // A bad environment, or demo secrets in production, stops the server here with every problem named.
    exitOnInvalidEnvironment();
    // Route handlers see only headers: stamp each request with its socket's address (src/server/client-address).
    const { stampPeerAddressOnEveryRequest } = await import('./server/client-address/peer-address');
    stampPeerAddressOnEveryRequest();
    // Not awaited: Next serves nothing until register() returns, and the first page needs no engine.
    void startChatEngineWithServer();
  }
}
