/**
 * The browser transport: the built renderer and the same handler registry served on 127.0.0.1.
 * Every request needs the per-run token; Host and Origin must be ours; events travel over a WebSocket.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { dispatch, type Handlers } from '../handlers.ts';
import type { Services } from '../app-services.ts';
import {
  allowedHost,
  allowedOrigin,
  contentSecurityPolicy,
  newToken,
  presentedToken,
  TOKEN_COOKIE,
  tokensEqual,
} from './web-security.ts';

const MAX_BODY = 1024 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

export interface WebConsole {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export interface WebConsoleOptions {
  services: Pick<Services, 'handlers' | 'subscribe' | 'log' | 'close'>;
  staticDir: string;
  port?: number;
  token?: string;
}

function send(
  res: http.ServerResponse,
  status: number,
  body: string | Buffer,
  type = 'text/plain; charset=utf-8',
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    ...extra,
  });
  res.end(body);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
}

export async function startWebConsole(options: WebConsoleOptions): Promise<WebConsole> {
  const token = options.token ?? newToken();
  const staticRoot = path.resolve(options.staticDir);
  const handlers: Handlers = options.services.handlers;
  let port = 0;

  const gate = (
    req: http.IncomingMessage,
  ): { allowed: false; status: number; why: string } | { allowed: true; fromQuery: boolean } => {
    if (!allowedHost(req.headers.host, port))
      return {
        allowed: false,
        status: 403,
        why: 'Forbidden: this console answers only to http://127.0.0.1 and http://localhost on its own port.',
      };
    if (!allowedOrigin(req.headers.origin, port))
      return { allowed: false, status: 403, why: 'Forbidden: requests from other web sites are refused.' };
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const presented = presentedToken(url, req.headers);
    if (!tokensEqual(token, presented.token))
      return {
        allowed: false,
        status: 401,
        why: 'Unauthorized: open the address that "npm run web" printed; it carries this run\'s access token.',
      };
    return { allowed: true, fromQuery: presented.fromQuery };
  };

  const server = http.createServer();
  server.on('request', (req, res) => {
    const verdict = gate(req);
    if (!verdict.allowed) return send(res, verdict.status, verdict.why);
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (verdict.fromQuery && req.method === 'GET') {
      url.searchParams.delete('token');
      return send(res, 303, '', 'text/plain', {
        Location: url.pathname + url.search,
        'Set-Cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
    }
    const invoke = /^\/api\/invoke\/([\w.]+)$/.exec(url.pathname);
    if (invoke) {
      if (req.method !== 'POST') return send(res, 405, 'Use POST.', 'text/plain', { Allow: 'POST' });
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
        return send(res, 415, 'Send JSON (Content-Type: application/json).');
      readJson(req).then(
        async (input) =>
          send(
            res,
            200,
            JSON.stringify(await dispatch(handlers, invoke[1], input, options.services.log)),
            'application/json',
          ),
        () =>
          send(
            res,
            400,
            JSON.stringify({
              ok: false,
              error: { code: 'bad-request', message: 'The request body is not valid JSON (or larger than 1 MB).' },
            }),
            'application/json',
          ),
      );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed.');
    let relative: string;
    try {
      relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    } catch {
      return send(res, 400, 'Bad path.');
    }
    const file = path.resolve(staticRoot, relative);
    if (!file.startsWith(staticRoot + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile())
      return send(res, 404, 'Not found.');
    send(
      res,
      200,
      req.method === 'HEAD' ? '' : fs.readFileSync(file),
      TYPES[path.extname(file)] ?? 'application/octet-stream',
      { 'Content-Security-Policy': contentSecurityPolicy(port) },
    );
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const verdict = gate(req);
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'invalid'}`);
    if (!verdict.allowed || url.pathname !== '/api/events') {
      const status = verdict.allowed ? 404 : verdict.status;
      socket.end(
        `HTTP/1.1 ${status} ` +
          `${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found'}\r\nConnection: ` +
          `close\r\nContent-Length: 0\r\n\r\n`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const unsubscribe = options.services.subscribe((event, payload) => ws.send(JSON.stringify({ event, payload })));
      ws.on('close', unsubscribe);
      ws.on('message', () => ws.close(1003, 'This channel only carries events from the console.'));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      await new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await options.services.close();
    },
  };
}
