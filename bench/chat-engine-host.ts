/**
 * The app server's part of the chat engine bench, in a process of its own (as the Next server would be):
 * the engine plus a tiny HTTP front door. `POST /send {cookie, input}` runs chat.send as the user whose
 * session cookie it carries; `POST /idle` waits for every reply (and title job) to finish; `GET /stats`
 * answers the engine's counters, CPU time and peak RSS. Prints `listening <port>` when ready.
 * Run by bench/chat-engine.bench.ts with DATABASE_URL, NEXT_PUBLIC_SUPABASE_URL and AI_* set.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startChatEngine } from '../src/server/chat-engine/chat-engine';
import { createCaller } from '../src/server/router';
import { createContext } from '../src/server/trpc';

const engine = startChatEngine();
await engine.start();
// A normal exit, so that `--cpu-prof` writes its profile.
process.on('SIGINT', () => process.exit(0));

let peakRss = process.memoryUsage().rss;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100).unref();

async function readJson(request: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
}

async function answer(request: http.IncomingMessage): Promise<unknown> {
  const body = await readJson(request);
  if (request.url === '/send') {
    const headers = new Headers({ cookie: String(body.cookie), origin: process.env.APP_URL ?? '' });
    const caller = createCaller(await createContext({ headers, resHeaders: new Headers() }));
    return caller.chat.send(body.input as Parameters<typeof caller.chat.send>[0]);
  }
  if (request.url === '/idle') {
    await engine.idle();
    return {};
  }
  if (request.url === '/stats') {
    return {
      publisher: engine.publisherStats,
      writes: engine.writes,
      cpuMicros: process.cpuUsage(),
      rss: process.memoryUsage().rss,
      peakRss,
    };
  }
  throw new Error(`no route ${request.url}`);
}

const server = http.createServer((request, response) => {
  answer(request).then(
    (result) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
    (error: unknown) => response.writeHead(500).end(JSON.stringify({ error: String(error) })),
  );
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
