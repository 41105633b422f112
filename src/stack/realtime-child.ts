// The realtime server in a process of its own, started and restarted by realtime-supervisor.ts: whatever
// throws in here ends this process only, never Postgres or Next. Options arrive over IPC, so the JWT secret
// shows neither in `ps` nor in the environment.
import { type RealtimeServer, startRealtimeServer } from '../realtime';
import type { RealtimeChildMessage, RealtimeChildOptions } from './realtime-child-messages';

function send(message: RealtimeChildMessage): void {
  process.send?.(message);
}

let server: RealtimeServer | null = null;
let stopping = false;

async function stopAndExit(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Past this bound a stuck shutdown must not keep the port from the next realtime process.
  setTimeout(() => process.exit(code), 5_000).unref();
  await server?.stop();
  process.exit(code);
}

process.once('message', (options: RealtimeChildOptions) => {
  startRealtimeServer({
    ...options,
    log: (line) => process.stdout.write(`[realtime] ${line}\n`),
  }).then(
    (started) => {
      server = started;
      send({ type: 'ready', url: started.url, port: started.port });
    },
    (error: unknown) => {
      send({ type: 'failed', reason: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    },
  );
});

process.on('SIGTERM', () => void stopAndExit(0));
// The launcher is gone (even killed with SIGKILL): nobody will stop or restart us, so stop now.
process.on('disconnect', () => void stopAndExit(0));
