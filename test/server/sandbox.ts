// The sandbox (merchant backend and gateway simulators) on a real HTTP server of its own, for the
// security tests: every request goes over HTTP as a shopper's, a gateway's or an attacker's would.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox } from '../../demo/sandbox/index.js';

export interface RunningSandbox {
  origin: string;
  server: Server;
  close(): Promise<void>;
  json(
    path: string,
    init?: RequestInit & { body?: string },
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** A new order of `gateway`, with the gallery's scenario. */
  order(gateway: string, scenario?: string, amount?: number): Promise<string>;
  /** Creates the order's payment as the element does; the backend's answer. */
  pay(
    orderId: string,
    method: string,
    type?: string,
    extra?: { returnUrl?: string; host?: string },
  ): Promise<Record<string, unknown>>;
  status(orderId: string): Promise<Record<string, unknown>>;
}

export async function startSandbox(): Promise<RunningSandbox> {
  const { middleware } = createSandbox();
  const server = createServer((req, res) =>
    middleware(req, res, () => {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }),
  );
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const json: RunningSandbox['json'] = async (path, init = {}) => {
    const response = await fetch(`${origin}${path}`, init);
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { text };
    }
    return { status: response.status, body };
  };
  let keys = 0;
  return {
    origin,
    server,
    json,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
    async order(gateway, scenario, amount = 9900) {
      const { body } = await json('/api/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ gateway, amount, ...(scenario ? { scenario } : {}) }),
      });
      return String(body.orderId);
    },
    async pay(orderId, method, type = 'pc', extra = {}) {
      keys += 1;
      const idempotencyKey = `test-key-${keys}`;
      const body = JSON.stringify({
        orderId,
        method,
        idempotencyKey,
        client: { type, os: 'other', inApp: null },
        ...(extra.returnUrl === undefined ? {} : { returnUrl: extra.returnUrl }),
      });
      // `fetch` will not send another Host: node:http does, as any caller on the network can.
      const url = new URL('/api/pay', origin);
      const text = await new Promise<string>((done, fail) => {
        const req = request(
          url,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'idempotency-key': idempotencyKey,
              host: extra.host ?? url.host,
            },
          },
          (res) => {
            let data = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              data += chunk;
            });
            res.on('end', () => done(data));
          },
        );
        req.on('error', fail);
        req.end(body);
      });
      return JSON.parse(text) as Record<string, unknown>;
    },
    async status(orderId) {
      return (await json(`/api/status?orderId=${encodeURIComponent(orderId)}`)).body;
    },
  };
}

/** Posts a form, as a gateway's notify or a browser's form does. */
export async function postForm(url: string, fields: Record<string, string>): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, text: await response.text() };
}
