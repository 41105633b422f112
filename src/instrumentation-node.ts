// Start-up work of src/instrumentation.ts that needs Node; imported only when NEXT_RUNTIME is nodejs.
import pg from 'pg';
import { env } from './env';

/** How long the engine waits for the database the launcher starts beside Next (`npm run dev`, `npm start`). */
const DATABASE_WAIT_MS = 120_000;

/**
 * Resolves once the database answers with the app's schema: the launchers start Next while Postgres starts
 * and migrates, and the engine's start-up sweep needs both. Gives up quietly after a while (then the engine
 * starts anyway and says what fails).
 */
async function databaseWithSchema(databaseUrl: string): Promise<void> {
  const deadline = Date.now() + DATABASE_WAIT_MS;
  while (Date.now() < deadline) {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      const { rows } = await client.query<{ ready: boolean }>(
        "select to_regclass('public.chat_messages') is not null as ready",
      );
      if (rows[0]?.ready) return;
    } catch {
      // not up yet
    } finally {
      await client.end().catch(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

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
  try {
    await databaseWithSchema(env().DATABASE_URL);
    const { startChatEngine } = await import('./server/chat-engine/chat-engine');
    startChatEngine();
  } catch (error) {
    // The lazy start on first use still applies; say why the early one did not happen.
    console.error('chat engine did not start with the server:', error);
  }
}
