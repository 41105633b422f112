import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local OpenAI-compatible chat completions server (`POST /v1/chat/completions`) with scripted replies: the
 * only fake in the test suite. Everything it cannot know is scripted per request, picked by a cue — a string
 * the last user message contains — so tests running side by side never take each other's script.
 *
 * Faults on cue: an HTTP status before any token (429, 500), a connection dropped after N tokens, a stall
 * (the connection stays open, silent) after N tokens.
 */
export interface FakeReplyScript {
  tokens: string[];
  /** Delay before the first token (time to first token), ms. */
  firstTokenDelayMs?: number;
  /** Delay between tokens, ms. */
  tokenDelayMs?: number;
  fault?:
    | { kind: 'status'; status: number; message?: string }
    | { kind: 'drop'; afterTokens: number }
    | { kind: 'stall'; afterTokens: number };
  /** Write every event in two TCP writes cut inside a multi-byte character, when it has one. */
  splitInsideCharacters?: boolean;
  usage?: { promptTokens: number; completionTokens: number };
  /** A different answer for non-streaming requests with the same cue (session titles). */
  nonStreaming?: FakeReplyScript;
}

export interface FakeRequestRecord {
  cue: string | null;
  body: {
    model: string;
    stream?: boolean;
    messages: { role: string; content: string | { type: string; text?: string }[] }[];
  };
  receivedAt: number;
  /** performance.now() when the first token's bytes were handed to the socket. */
  firstTokenWrittenAt?: number;
  /** Every token's write time (performance.now()), in order. */
  tokenWrittenAt: number[];
}

export interface FakeLlmProvider {
  /** Base URL for AI_BASE_URL, e.g. http://127.0.0.1:4123/v1 */
  baseUrl: string;
  /** Requests whose last user message contains `cue` get `script` (the newest matching cue wins). */
  script(cue: string, script: FakeReplyScript): void;
  /** Script for requests matching no cue (titles, warm-ups). */
  setDefault(script: FakeReplyScript): void;
  readonly requests: FakeRequestRecord[];
  /** Resolves when a request carrying `cue` has arrived. */
  requestFor(cue: string): Promise<FakeRequestRecord>;
  close(): Promise<void>;
}

/** The text of a request's last user message: what the app asked the model to answer. */
export function lastUserText(body: FakeRequestRecord['body']): string {
  const last = [...body.messages].reverse().find((message) => message.role === 'user');
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  return last.content.map((part) => part.text ?? '').join('');
}

function chunkEvent(
  id: string,
  model: string,
  delta: Record<string, unknown>,
  finish: string | null,
): string {
  const chunk = {
    id,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** Writes `text` in two writes cut inside its first multi-byte character (if any): TCP may do the same. */
function writeCutInsideCharacter(response: ServerResponse, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  const cut = bytes.findIndex((byte) => byte >= 0xc0);
  if (cut < 0) {
    response.write(bytes);
    return;
  }
  response.write(bytes.subarray(0, cut + 1));
  response.write(bytes.subarray(cut + 1));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFakeLlmProvider(): Promise<FakeLlmProvider> {
  const cues: { cue: string; script: FakeReplyScript }[] = [];
  let fallback: FakeReplyScript = { tokens: ['A short', ' title'] };
  const requests: FakeRequestRecord[] = [];
  const waiters: { cue: string; resolve: (record: FakeRequestRecord) => void }[] = [];
  const sockets = new Set<Socket>();

  async function streamReply(
    request: IncomingMessage,
    response: ServerResponse,
    record: FakeRequestRecord,
    script: FakeReplyScript,
  ) {
    let clientGone = false;
    request.on('close', () => {
      clientGone = true;
    });
    response.on('close', () => {
      clientGone = true;
    });
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    response.flushHeaders();
    const id = `chatcmpl-${requests.length}`;
    const model = record.body.model;
    await sleep(script.firstTokenDelayMs ?? 0);
    for (const [index, token] of script.tokens.entries()) {
      if (clientGone) return;
      if (script.fault?.kind === 'drop' && index === script.fault.afterTokens) {
        response.socket?.destroy();
        return;
      }
      if (script.fault?.kind === 'stall' && index === script.fault.afterTokens) return; // silent until aborted
      if (index > 0) await sleep(script.tokenDelayMs ?? 0);
      if (clientGone) return;
      const event = chunkEvent(
        id,
        model,
        index === 0 ? { role: 'assistant', content: token } : { content: token },
        null,
      );
      if (script.splitInsideCharacters) writeCutInsideCharacter(response, event);
      else response.write(event);
      const now = performance.now();
      record.firstTokenWrittenAt ??= now;
      record.tokenWrittenAt.push(now);
    }
    if (script.fault?.kind === 'drop' && script.fault.afterTokens >= script.tokens.length) {
      response.socket?.destroy();
      return;
    }
    if (script.fault?.kind === 'stall') return;
    response.write(chunkEvent(id, model, {}, 'stop'));
    const usage = script.usage ?? { promptTokens: 10, completionTokens: script.tokens.length };
    response.write(
      `data: ${JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [],
        usage: {
          prompt_tokens: usage.promptTokens,
          completion_tokens: usage.completionTokens,
          total_tokens: usage.promptTokens + usage.completionTokens,
        },
      })}\n\n`,
    );
    response.end('data: [DONE]\n\n');
  }

  function completeReply(response: ServerResponse, record: FakeRequestRecord, script: FakeReplyScript) {
    const text = script.tokens.join('');
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: record.body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage: {
          prompt_tokens: 10,
          completion_tokens: script.tokens.length,
          total_tokens: 10 + script.tokens.length,
        },
      }),
    );
  }

  const server: Server = createServer(async (request, response) => {
    if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
      response.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeRequestRecord['body'];
    const text = lastUserText(body);
    const matched = [...cues].reverse().find((entry) => text.includes(entry.cue));
    const record: FakeRequestRecord = {
      cue: matched?.cue ?? null,
      body,
      receivedAt: performance.now(),
      tokenWrittenAt: [],
    };
    requests.push(record);
    for (const waiter of [...waiters]) {
      if (waiter.cue === record.cue) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(record);
      }
    }
    const streamScript = matched?.script ?? fallback;
    const script = body.stream ? streamScript : (streamScript.nonStreaming ?? streamScript);
    if (script.fault?.kind === 'status') {
      const status = script.fault.status;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          error: {
            message:
              script.fault.message ?? (status === 429 ? 'Rate limit reached' : 'Internal server error'),
            type: status === 429 ? 'rate_limit_error' : 'server_error',
          },
        }),
      );
      return;
    }
    if (body.stream) await streamReply(request, response, record, script);
    else completeReply(response, record, script);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    script(cue, script) {
      cues.push({ cue, script });
    },
    setDefault(script) {
      fallback = script;
    },
    requests,
    requestFor(cue) {
      const existing = requests.find((record) => record.cue === cue);
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve) => waiters.push({ cue, resolve }));
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
