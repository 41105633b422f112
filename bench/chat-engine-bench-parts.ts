import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { SignJWT } from 'jose';
import type { FakeLlmProvider } from '../tests/helpers/fake-llm-provider';
import type { Subscriber } from './chat-bench-subscriber';
import { ReplyTraceLog } from './reply-trace-log';

export const root = path.resolve(import.meta.dirname, '..');
export const APP_ORIGIN = 'http://localhost:3000';

/**
 * The bare app server child (the engine and chat.send through `createCaller`, no Next): chat.send, idle and
 * stats over keep-alive connections. With `cpuProfileDir`, Node writes a CPU profile there when it exits.
 */
export class EngineHost {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  readonly traces = new ReplyTraceLog();
  private constructor(
    readonly process: ChildProcess,
    private readonly port: number,
  ) {}

  static start(env: Record<string, string>, cpuProfileDir?: string): Promise<EngineHost> {
    const child = spawn(
      process.execPath,
      [
        ...(cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir] : []),
        '--import',
        'tsx',
        '--import',
        path.join(root, 'bench/reply-trace-preload.mjs'),
        '--conditions=react-server',
        path.join(root, 'bench/chat-engine-host.ts'),
      ],
      { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    return new Promise((resolve, reject) => {
      let host: EngineHost | undefined;
      child.stdout?.on('data', (chunk: Buffer) => {
        const lines = (host?.traces ?? new ReplyTraceLog()).feed(chunk.toString());
        const port = lines.map((line) => /listening (\d+)/.exec(line)?.[1]).find(Boolean);
        if (port && !host) {
          host = new EngineHost(child, Number(port));
          resolve(host);
        }
      });
      child.once('exit', (code) => reject(new Error(`engine host exited ${code}`)));
    });
  }

  request<T>(route: string, body: unknown = {}): Promise<T> {
    const data = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = http.request(
        { host: '127.0.0.1', port: this.port, path: route, method: 'POST', agent: this.agent },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () =>
            response.statusCode === 200 ? resolve(JSON.parse(text) as T) : reject(new Error(text)),
          );
        },
      );
      request.on('error', reject);
      request.end(data);
    });
  }

  send(cookie: string, input: { sessionId: string; clientMessageId: string; content: string }) {
    return this.request<{ replyId: string; sessionId: string }>('/send', { cookie, input });
  }

  idle() {
    return this.request('/idle');
  }

  stats() {
    return this.request<HostStats>('/stats');
  }

  /** Stops the host; resolves once it exited (and wrote its CPU profile, if asked for one). */
  async stop(): Promise<void> {
    this.agent.destroy();
    if (this.process.exitCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill('SIGINT');
    await exited;
  }
}

export interface HostStats {
  publisher: { requests: number; bodyBytes: number; headBytes: number };
  writes: { checkpoints: number; finals: number };
  cpuMicros: { user: number; system: number };
  rss: number;
  peakRss: number;
}

/** A signed-in browser: its session cookie, a tRPC caller for reads, and its realtime subscriber. */
export interface Browser {
  cookie: string;
  caller: Caller;
  subscriber: Subscriber;
}

export interface Bench {
  provider: FakeLlmProvider;
  host: EngineHost;
}

/** Where chat.send goes: the bare host or the Next production server. */
export interface SendTarget {
  readonly traces: ReplyTraceLog;
  send(
    cookie: string,
    input: { sessionId: string; clientMessageId: string; content: string },
  ): Promise<{
    replyId: string;
    sessionId: string;
  }>;
}

export type Caller = Awaited<ReturnType<typeof import('../src/server/router')['createCaller']>>;

/** A project API key (anon or service_role) signed with the bench's generated JWT secret. */
export function projectKey(secret: string, role: 'anon' | 'service_role'): Promise<string> {
  return new SignJWT({ role, iss: 'chattwelve-bench' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('6h')
    .sign(new TextEncoder().encode(secret));
}

let cueCounter = 0;
export function scriptReply(provider: FakeLlmProvider, tokens: string[], tokenDelayMs: number): string {
  const cue = `bench-cue-${cueCounter++}-${Date.now()}`;
  provider.script(cue, { tokens, tokenDelayMs });
  return cue;
}
