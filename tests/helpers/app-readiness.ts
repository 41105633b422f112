import { createServer } from 'node:http';
import { listenOnLoopback } from './loopback-server';

/** How long one GET waits for the outcome before answering 202 (well under fetch's 300 s headers timeout). */
const LONG_POLL_MS = 60_000;

export interface AppReadiness {
  /** GET answers when the app is up: 200, or 500 with why it is not (the build's log); 202 while building. */
  url: string;
  close(): Promise<void>;
}

/**
 * The browser tests' app is built and started in the background while the other tests run (the build costs
 * a minute or more); the global setup cannot hand the workers a promise, so this door answers for it.
 */
export async function serveAppReadiness(ready: Promise<unknown>, log: () => string): Promise<AppReadiness> {
  const outcome = ready.then(
    () => null,
    (error: unknown) => `${String(error)}\n${log()}`,
  );
  const server = createServer(async (_request, response) => {
    let timer: NodeJS.Timeout | undefined;
    const stillBuilding = new Promise<'building'>((resolve) => {
      timer = setTimeout(() => resolve('building'), LONG_POLL_MS);
    });
    const state = await Promise.race([outcome, stillBuilding]);
    clearTimeout(timer);
    if (state === 'building') response.writeHead(202).end('building');
    else if (state === null) response.writeHead(200).end('ready');
    else response.writeHead(500, { 'content-type': 'text/plain' }).end(state);
  });
  return listenOnLoopback(server);
}

/** From a test file: waits until the app serves, or fails with the reason it never will. */
export async function whenAppReady(readinessUrl: string): Promise<void> {
  for (;;) {
    const response = await fetch(readinessUrl);
    if (response.status === 200) return;
    const text = await response.text();
    if (response.status !== 202) throw new Error(`the browser tests' app did not start:\n${text}`);
  }
}
