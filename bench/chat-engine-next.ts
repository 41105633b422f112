import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { freePort } from '../src/stack/free-port';
import { root } from './chat-engine-bench-parts';
import { ReplyTraceLog } from './reply-trace-log';

const nextBin = path.join(root, 'node_modules/next/dist/bin/next');
/** Its own build dir: a developer's `.next` and the browser tests' builds stay untouched. */
const DIST_DIR = '.next/bench-chat-engine';

function runNext(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [nextBin, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * The app as users reach it: a production build (`next build`, then `next start`) on a free port, chat.send
 * over HTTP with the session cookie and the app's Origin, as the browser's tRPC client sends it. The reply
 * trace preload prints the engine's timestamps, so the bench can split the time of a send.
 * (Built the way tests/helpers/next-app.ts builds it; copied, since that helper is not the bench's to change.)
 */
export class NextTarget {
  readonly traces = new ReplyTraceLog();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  private readonly output: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(appEnv: Record<string, string>): Promise<NextTarget> {
    const port = await freePort();
    const url = `http://localhost:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...appEnv,
      NEXT_TELEMETRY_DISABLED: '1',
      NEXT_DIST_DIR: DIST_DIR,
      NEXT_IGNORE_TYPE_ERRORS: '1',
      EMBEDDED_STACK: 'false',
      APP_URL: url,
      PORT: String(port),
    };
    const build = runNext(['build'], { ...env, NODE_ENV: 'production' });
    const buildLog: string[] = [];
    build.stdout?.on('data', (chunk: Buffer) => buildLog.push(chunk.toString()));
    build.stderr?.on('data', (chunk: Buffer) => buildLog.push(chunk.toString()));
    const code = await new Promise<number>((resolve) => build.once('exit', (c) => resolve(c ?? 1)));
    if (code !== 0) throw new Error(`next build failed (${code}):\n${buildLog.join('')}`);

    const preload = path.join(root, 'bench/reply-trace-preload.mjs');
    const child = runNext(['start', '-p', String(port)], {
      ...env,
      NODE_ENV: 'production',
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${preload}`.trim(),
    });
    const target = new NextTarget(child, url);
    child.stdout?.on('data', (chunk: Buffer) => target.output.push(...target.traces.feed(chunk.toString())));
    child.stderr?.on('data', (chunk: Buffer) => target.output.push(chunk.toString()));
    await target.waitUntilServing();
    return target;
  }

  private async waitUntilServing(): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null)
        throw new Error(`next start exited ${this.child.exitCode}:\n${this.output.join('\n')}`);
      try {
        const response = await fetch(`${this.url}/sign-in`, { redirect: 'manual' });
        if (response.status < 500) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`next start did not serve within 120 s:\n${this.output.join('\n')}`);
  }

  /** POST /api/trpc/<procedure> as the browser's tRPC client does (superjson `{json}` body). */
  mutation<T>(cookie: string, procedure: string, input: unknown): Promise<T> {
    const body = JSON.stringify({ json: input });
    return new Promise((resolve, reject) => {
      const request = http.request(
        `${this.url}/api/trpc/${procedure}`,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            cookie,
            origin: this.url,
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () => {
            if (response.statusCode !== 200)
              return reject(new Error(`${procedure}: ${response.statusCode} ${text}`));
            resolve((JSON.parse(text) as { result: { data: { json: T } } }).result.data.json);
          });
        },
      );
      request.on('error', reject);
      request.setNoDelay(true);
      request.end(body);
    });
  }

  send(cookie: string, input: { sessionId: string; clientMessageId: string; content: string }) {
    return this.mutation<{ replyId: string; sessionId: string }>(cookie, 'chat.send', input);
  }

  /** GET /api/auth/get-session: what BetterAuth's session check alone costs over HTTP. */
  getSession(cookie: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        `${this.url}/api/auth/get-session`,
        { agent: this.agent, headers: { cookie } },
        (response) => {
          response.resume();
          response.on('end', () =>
            response.statusCode === 200 ? resolve() : reject(new Error(`get-session ${response.statusCode}`)),
          );
        },
      );
      request.on('error', reject);
      request.end();
    });
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
