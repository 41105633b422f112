// A realtime server in a process of its own (started by realtime-process.ts), so a test can attack it and
// still see whether the process survived, and read its memory. Options arrive as JSON in argv[2].
import { startRealtimeServer } from '../../../src/realtime/index';

const options = JSON.parse(process.argv[2] ?? '{}');
const gc = (globalThis as { gc?: () => void }).gc;
const send = (message: unknown) => process.send?.(message);

const server = await startRealtimeServer({ ...options, port: 0, log: () => {} });
process.on('message', (message: { type: string; id: number }) => {
  if (message.type === 'memory') {
    // Twice: the first pass finalises, the second frees what finalisers released.
    gc?.();
    gc?.();
    send({ type: 'memory', id: message.id, usage: process.memoryUsage() });
  }
});
process.on('disconnect', () => void server.stop().finally(() => process.exit(0)));
send({ type: 'ready', url: server.url });
