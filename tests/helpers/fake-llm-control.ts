import { createServer, type Server } from 'node:http';
import type { FakeLlmProvider, FakeReplyScript } from './fake-llm-provider';
import { listenOnLoopback } from './loopback-server';

/**
 * The fake provider lives in the global-setup process, beside the Next server that calls it; browser tests
 * run in workers. This small HTTP door lets a test script a reply by cue, and read when its request came.
 */
export async function serveFakeLlmControl(
  provider: FakeLlmProvider,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = chunks.length
        ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
        : {};
      if (request.method === 'POST' && request.url === '/script') {
        provider.script(String(body.cue), body.script as FakeReplyScript);
        response.writeHead(204).end();
        return;
      }
      if (request.method === 'POST' && request.url === '/requests') {
        const cue = String(body.cue);
        const count = provider.requests.filter((record) => record.cue === cue).length;
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count }));
        return;
      }
      response.writeHead(404).end();
    } catch (error) {
      response.writeHead(500).end(String(error));
    }
  });
  return listenOnLoopback(server);
}

/** From a test: the next request whose last user message contains `cue` gets `script`. */
export async function scriptFakeReply(
  controlUrl: string,
  cue: string,
  script: FakeReplyScript,
): Promise<void> {
  const response = await fetch(`${controlUrl}/script`, {
    method: 'POST',
    body: JSON.stringify({ cue, script }),
  });
  if (!response.ok) throw new Error(`scripting the fake provider failed: ${response.status}`);
}

/** From a test: how many provider requests carried `cue` (a message sent twice would show as 2). */
export async function fakeRequestCount(controlUrl: string, cue: string): Promise<number> {
  const response = await fetch(`${controlUrl}/requests`, { method: 'POST', body: JSON.stringify({ cue }) });
  return ((await response.json()) as { count: number }).count;
}
