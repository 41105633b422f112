import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import type { FakeLlmProvider } from '../tests/helpers/fake-llm-provider';
import type { Subscriber } from './chat-bench-subscriber';

export const root = path.resolve(import.meta.dirname, '..');
export const APP_ORIGIN = 'http://localhost:3000';

/** The app server child: chat.send, idle and stats over one keep-alive connection. */
export class EngineHost {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private constructor(
    readonly process: ChildProcess,
    private readonly port: number,
  ) {}

  static start(env: Record<string, string>): Promise<EngineHost> {
    const child = spawn(
      path.join(root, 'node_modules/.bin/tsx'),
      ['--conditions=react-server', path.join(root, 'bench/chat-engine-host.ts')],
      { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    return new Promise((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        const port = /listening (\d+)/.exec(chunk.toString())?.[1];
        if (port) resolve(new EngineHost(child, Number(port)));
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

  stop() {
    this.agent.destroy();
    this.process.kill();
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

export type Caller = Awaited<ReturnType<typeof import('../src/server/router')['createCaller']>>;

let cueCounter = 0;
export function scriptReply(provider: FakeLlmProvider, tokens: string[], tokenDelayMs: number): string {
  const cue = `bench-cue-${cueCounter++}-${Date.now()}`;
  provider.script(cue, { tokens, tokenDelayMs });
  return cue;
}
