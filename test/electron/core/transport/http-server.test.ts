/** The browser transport over real HTTP and WebSocket on 127.0.0.1. */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_SETTINGS } from '../../../../shared/settings.ts';
import { startWebConsole, type WebConsole } from '../../../../electron/core/transport/http-server.ts';
import { tempDirFor } from '../../../support/temp-dir.ts';
import { testServices } from '../../../support/console-services.ts';

interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

function request(
  port: number,
  options: { path?: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: options.path ?? '/', method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the browser console server', () => {
  let web: WebConsole;
  let services: ReturnType<typeof testServices>;
  const dataDir = tempDirFor('http-server');
  const staticDir = path.join(dataDir, 'static');

  beforeAll(async () => {
    fs.mkdirSync(staticDir);
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    fs.writeFileSync(path.join(dataDir, 'secret.txt'), 'outside the static folder');
    services = testServices(dataDir);
    web = await startWebConsole({ services, staticDir });
  });
  afterAll(async () => {
    await web.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const host = () => ({ Host: `127.0.0.1:${web.port}` });
  const auth = () => ({ ...host(), Authorization: `Bearer ${web.token}` });

  it('listens on the loopback address only: another address of this machine refuses the connection', async () => {
    const other = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && !i.internal && i.family === 'IPv4');
    if (!other) {
      console.log('http-server: this machine has no non-loopback IPv4 address, so only the bound address is checked');
      expect(new URL(web.url).hostname).toBe('127.0.0.1');
      return;
    }
    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect({ host: other.address, port: web.port }, () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('prints a loopback URL that carries the token', () => {
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/?token=${web.token}`);
  });

  it('answers 401 to a request without the token, for pages and API alike', async () => {
    expect((await request(web.port, { headers: host() })).status).toBe(401);
    const api = await request(web.port, {
      path: '/api/invoke/settings.get',
      method: 'POST',
      headers: { ...host(), 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(api.status).toBe(401);
    expect((await request(web.port, { headers: { ...host(), Authorization: 'Bearer wrong' } })).status).toBe(401);
  });

  it('refuses a foreign Host even with the token (DNS rebinding)', async () => {
    const reply = await request(web.port, {
      headers: { Host: `attacker.example:${web.port}`, Authorization: `Bearer ${web.token}` },
    });
    expect(reply.status).toBe(403);
  });

  it('refuses a foreign Origin even with the token', async () => {
    const reply = await request(web.port, {
      path: '/api/invoke/settings.get',
      method: 'POST',
      headers: { ...auth(), Origin: 'http://evil.example', 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(reply.status).toBe(403);
  });

  it('trades the token in the address for an HttpOnly SameSite cookie', async () => {
    const reply = await request(web.port, { path: `/?token=${web.token}`, headers: host() });
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/');
    expect(reply.headers['set-cookie']?.[0]).toMatch(/adconsole_token=.+; HttpOnly; SameSite=Strict/);
    const withCookie = await request(web.port, { headers: { ...host(), Cookie: `adconsole_token=${web.token}` } });
    expect(withCookie.status).toBe(200);
    expect(withCookie.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('serves nothing outside its static folder', async () => {
    const reply = await request(web.port, { path: '/..%2fsecret.txt', headers: auth() });
    expect(reply.status).toBe(404);
    expect(reply.body).not.toContain('outside');
  });

  it('dispatches contract operations and returns their result', async () => {
    const reply = await request(web.port, {
      path: '/api/invoke/settings.get',
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({
      ok: true,
      value: { settings: DEFAULT_SETTINGS, password: { stored: false } },
    });
  });

  it('answers invalid JSON and invalid input with an explained error', async () => {
    const bad = await request(web.port, {
      path: '/api/invoke/settings.get',
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: '{',
    });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.message).toMatch(/not valid JSON/);
    const invalid = await request(web.port, {
      path: '/api/invoke/settings.save',
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: '{"settings":1}',
    });
    expect(JSON.parse(invalid.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('refuses non-JSON posts (no cross-site form submissions)', async () => {
    const reply = await request(web.port, {
      path: '/api/invoke/settings.get',
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'text/plain' },
      body: '{}',
    });
    expect(reply.status).toBe(415);
  });

  it('refuses a WebSocket without the token and pushes events to one with it', async () => {
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${web.port}/api/events`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
      ws.on('open', () => resolve(101));
    });
    expect(refused).toBe(401);

    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/api/events`, {
      headers: { Cookie: `adconsole_token=${web.token}` },
    });
    await new Promise((resolve) => ws.on('open', resolve));
    const received = new Promise<{ event: string }>((resolve) =>
      ws.on('message', (data) => resolve(JSON.parse(String(data)))),
    );
    services.emit('menu.command', { command: 'about' });
    expect(await received).toEqual({ event: 'menu.command', payload: { command: 'about' } });
    ws.close();
  });
});
