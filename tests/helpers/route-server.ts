import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { stampPeerAddress } from '@/server/client-address/peer-address';
import { listenOnLoopback } from './loopback-server';

type RouteHandler = (request: Request) => Promise<Response>;

export interface RouteServer {
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

/**
 * A real HTTP server in front of the app's own route handlers, as `next start` puts it: each request stamped
 * with its socket's address (src/instrumentation.ts does this for Next) and X-Forwarded-For filled in when
 * absent (as Next does), then turned into a fetch Request.
 * `routes` maps a path prefix to a handler. Listens on 127.0.0.1 only; a test can come from
 * 127.0.0.2, 127.0.0.3 … as distinct clients.
 */
export async function startRouteServer(routes: Record<string, RouteHandler>): Promise<RouteServer> {
  async function serve(req: IncomingMessage, res: ServerResponse) {
    stampPeerAddress(req);
    // As Next does (next/dist/server/base-server.js): fills in a missing X-Forwarded-For from the socket.
    req.headers['x-forwarded-for'] ??= req.socket.remoteAddress;
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const route = Object.entries(routes).find(([prefix]) => url.pathname.startsWith(prefix));
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(url, {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
      duplex: 'half',
    } as RequestInit);
    const response = await route[1](request);
    res.writeHead(response.status, [...response.headers].flat());
    if (response.body) {
      for await (const chunk of response.body) res.write(chunk);
    }
    res.end();
  }
  const server = http.createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  return listenOnLoopback(server);
}

/** One HTTP request from a chosen loopback address (127.0.0.x), as a client there would send it. */
export function requestFrom(
  localAddress: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, localAddress },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
