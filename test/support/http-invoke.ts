/** Posts to the browser console's invoke endpoint as the page does (its token, its Host), from Node. */
import http from 'node:http';
import type { WebConsole } from '../../electron/core/transport/http-server.ts';

export function postInvoke(web: WebConsole, name: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: web.port,
        path: `/api/invoke/${name}`,
        method: 'POST',
        headers: {
          Host: `127.0.0.1:${web.port}`,
          Authorization: `Bearer ${web.token}`,
          'Content-Type': 'application/json',
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
