/**
 * A minimal merchant backend for the demo: the create and status endpoints of DESIGN.md, with
 * answers shaped like epay's, and two buttons' worth of "the shopper paid / it failed". It lives
 * in the dev server so `npm start` needs nothing else. (The full sandbox with gateway simulators
 * replaces it.)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';

interface Order {
  status: 'pending' | 'paid' | 'failed' | 'expired';
  keys: Map<string, unknown>;
  message?: string;
}

const orders = new Map<string, Order>();

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function orderOf(id: string): Order {
  let order = orders.get(id);
  if (!order) {
    order = { status: 'pending', keys: new Map() };
    orders.set(id, order);
  }
  return order;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://demo.local');
  if (url.pathname === '/api/pay' && req.method === 'POST') {
    const body = await readJson(req);
    const orderId = String(body.orderId ?? '');
    const key = req.headers['idempotency-key'];
    if (!orderId || typeof key !== 'string') {
      send(res, 400, { error: 'orderId and Idempotency-Key are required' });
      return true;
    }
    const order = orderOf(orderId);
    // The same key answers the same payment: a retried create never makes a second one.
    let answer = order.keys.get(key);
    if (!answer) {
      const tradeNo = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
      const method = String(body.method ?? 'wxpay');
      order.status = 'pending';
      answer = {
        gateway: 'epay',
        response: {
          code: 1,
          trade_no: tradeNo,
          qrcode:
            method === 'alipay'
              ? `https://qr.alipay.com/bax0${tradeNo.slice(-8)}`
              : `weixin://wxpay/bizpayurl?pr=${tradeNo.slice(-7)}`,
        },
      };
      order.keys.set(key, answer);
    }
    send(res, 200, answer);
    return true;
  }
  if (url.pathname === '/api/status' && req.method === 'GET') {
    const order = orders.get(url.searchParams.get('orderId') ?? '');
    if (!order) {
      send(res, 404, { error: 'no such order' });
      return true;
    }
    send(res, 200, { status: order.status, ...(order.message ? { message: order.message } : {}) });
    return true;
  }
  if (url.pathname === '/api/demo/settle' && req.method === 'POST') {
    const body = await readJson(req);
    const order = orderOf(String(body.orderId ?? ''));
    order.status = body.outcome === 'failed' ? 'failed' : 'paid';
    if (order.status === 'failed') order.message = 'Insufficient balance (demo)';
    send(res, 200, { status: order.status });
    return true;
  }
  return false;
}

export function fakeBackend(): Plugin {
  const middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    handle(req, res).then(
      (handled) => {
        if (!handled) next();
      },
      () => send(res, 500, { error: 'demo backend failed' }),
    );
  };
  return {
    name: 'cashdesk-demo-backend',
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
  };
}
