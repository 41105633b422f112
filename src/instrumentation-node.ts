// Start-up work of src/instrumentation.ts that needs Node; imported only when NEXT_RUNTIME is nodejs.
import { env } from './env';

export function exitOnInvalidEnvironment(): void {
  try {
    env();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

/**
 * Starts the chat engine with the server (orphan sweep, stop listener), so the first user's first message
 * does not pay for it. The engine's own lazy start on first use stays as the fallback.
 */
export async function startChatEngineWithServer(): Promise<void> {
  const { startChatEngine } = await import('./server/chat-engine/chat-engine');
  startChatEngine();
}
