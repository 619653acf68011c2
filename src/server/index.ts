/**
 * `cashdesk/server`: the merchant backend the widget talks to, as Fetch-API handlers
 * (`Request → Response`) for Node 20+, Deno, Bun, Hono, Next.js route handlers, and with `node()`
 * for Node's http and Express. It creates the payment at the gateway (signed with keys only the
 * server holds), answers the widget's status checks, and verifies each gateway's notify before
 * anything is marked paid. Its own URLs come from `origin`, never from a request's `Host`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { attemptOf, MemoryOrderStore, settle } from './store.js';
import {
  type Attempt,
  CLIENT_TYPES,
  type Client,
  type MerchantGateway,
  type Order,
  type OrderStore,
  ServerConfigError,
} from './types.js';

export { type AlipayplusConfig, alipayplus } from './gateways/alipayplus.js';
export { type CareyshopConfig, careyshop } from './gateways/careyshop.js';
export { type EpayConfig, epay } from './gateways/epay.js';
export { type PingppConfig, pingpp } from './gateways/pingpp.js';
export { USEEPAY_BASE_URLS, type UseepayConfig, useepay } from './gateways/useepay.js';
export { MemoryOrderStore, settle } from './store.js';
export * from './types.js';

export interface CashdeskServerConfig {
  /**
   * This backend's public origin (`https://shop.example`): where gateways send notifies and shoppers
   * back. A function is read on each request, for a server whose port is known only once it listens.
   */
  origin: string | (() => string);
  /** One module per gateway the shop uses: `epay({...})`, `pingpp({...})`, … */
  gateways: readonly MerchantGateway[];
  /** Where orders live; in memory by default. */
  orders?: OrderStore;
  /** The page that mounts the checkout with `resume` after the gateway sends the shopper back. */
  returnPage?: string;
  /** The routes, under `origin`. */
  paths?: Partial<Record<'create' | 'status' | 'notify' | 'return', string>>;
  /** Each order log line as it is written (never holds a secret): `console.info` in development. */
  log?: (line: string, order: Readonly<Order>) => void;
}

export interface CashdeskServer {
  /** The handler: a Response for the backend's routes, a 404 for anything else. */
  fetch(request: Request): Promise<Response>;
  /** The same, but undefined for a path that is not the backend's, to fall through to your own routes. */
  handle(request: Request): Promise<Response | undefined>;
  /** For Node's http server, Express and Connect: `app.use(server.node)`. */
  node(req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  readonly orders: OrderStore;
  /** The notify URL each gateway is told to use. */
  notifyUrl(gateway: string): string;
}

const LIMIT = 1024 * 1024;
/** The shopper's address, known only where the server saw the socket (`node()`). */
const remoteAddress = new WeakMap<Request, string>();

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function readClient(value: unknown): Client | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const client = value as Record<string, unknown>;
  const type = CLIENT_TYPES.find((known) => known === client.type);
  if (!type) return undefined;
  return {
    type,
    os: typeof client.os === 'string' ? client.os : 'other',
    inApp: typeof client.inApp === 'string' ? client.inApp : null,
  };
}

function checkedOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ServerConfigError(
      `cashdesk/server: origin must be an absolute URL such as https://shop.example, not ${JSON.stringify(value)}`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ServerConfigError(`cashdesk/server: origin must be http: or https:, not ${url.protocol}`);
  return url.origin;
}

export function createCashdeskServer(config: CashdeskServerConfig): CashdeskServer {
  if (!config || typeof config !== 'object')
    throw new ServerConfigError('cashdesk/server: a configuration object is needed');
  if (typeof config.origin === 'string') checkedOrigin(config.origin);
  else if (typeof config.origin !== 'function')
    throw new ServerConfigError(
      'cashdesk/server: origin is missing (this backend\'s public origin, e.g. "https://shop.example")',
    );
  if (!Array.isArray(config.gateways) || config.gateways.length === 0)
    throw new ServerConfigError(
      'cashdesk/server: gateways is empty: give at least one, e.g. gateways: [epay({ pid, key, baseUrl })]',
    );
  const gateways = new Map<string, MerchantGateway>();
  for (const gateway of config.gateways) {
    if (gateways.has(gateway.id))
      throw new ServerConfigError(`cashdesk/server: the gateway ${gateway.id} is given twice`);
    gateways.set(gateway.id, gateway);
  }
  const orders = config.orders ?? new MemoryOrderStore();
  const paths = {
    create: '/api/pay',
    status: '/api/status',
    notify: '/api/notify',
    return: '/api/return',
    ...config.paths,
  };
  const origin = () => checkedOrigin(typeof config.origin === 'function' ? config.origin() : config.origin);
  const notifyUrl = (gateway: string) => `${origin()}${paths.notify}/${gateway}`;
  const log = async (order: Order, line: string) => {
    order.log.push(line);
    config.log?.(line, order);
  };
  /** Creates still waiting for the gateway, by order and key: a second call waits for the first. */
  const creating = new Map<string, { method: string; answer: Promise<Attempt['answer'] | undefined> }>();

  /**
   * The page's return URL when it is absolute and on this backend's origin, as parsed; else
   * undefined. Taken as it comes, it would let any caller choose where the gateway sends the
   * shopper, and a relative one means nothing to a gateway.
   */
  const ownReturnUrl = (value: unknown): string | undefined => {
    if (typeof value !== 'string' || !/^https?:\/\//i.test(value) || !URL.canParse(value)) return undefined;
    const url = new URL(value);
    return url.origin === origin() ? url.href : undefined;
  };
  const withOrderId = (href: string, orderId: string) => {
    const url = new URL(href);
    url.searchParams.set('orderId', orderId);
    return url.href;
  };

  async function create(request: Request): Promise<Response> {
    let body: Record<string, unknown> = {};
    try {
      const value: unknown = JSON.parse(await readText(request));
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) body = value as Record<string, unknown>;
    } catch {
      return json(400, { error: 'the body must be JSON' });
    }
    const key = request.headers.get('idempotency-key');
    if (!key || key !== body.idempotencyKey)
      return json(400, { error: 'the Idempotency-Key header and body must match' });
    const order = await orders.get(String(body.orderId ?? ''));
    if (!order) return json(404, { error: 'no such order' });
    const client = readClient(body.client);
    if (!client) return json(400, { error: `client.type must be one of ${CLIENT_TYPES.join(', ')}` });
    const method = String(body.method ?? '');
    order.creates += 1;
    // One payment per idempotency key: a retry with the same key gets the same answer.
    const known = order.attempts.find((attempt) => attempt.idempotencyKey === key);
    if (known) {
      if (known.method !== method) return json(409, { error: 'this idempotency key was used for another method' });
      await log(order, `create retried with the same key: same payment ${known.reference}`);
      // The shopper is on this payment again (back to a method tried before): it is the latest.
      order.attempts = [...order.attempts.filter((attempt) => attempt !== known), known];
      await orders.save(order);
      return json(200, known.answer);
    }
    const slot = `${order.orderId} ${key}`;
    const running = creating.get(slot);
    if (running) {
      if (running.method !== method) return json(409, { error: 'this idempotency key was used for another method' });
      const answer = await running.answer;
      return answer ? json(200, answer) : json(502, { error: 'the gateway could not be reached' });
    }
    if (order.status === 'paid') return json(409, { error: 'the order is already paid' });
    const gateway = gateways.get(order.gateway);
    if (!gateway) {
      config.log?.(`order ${order.orderId} is for the gateway ${order.gateway}, which is not configured`, order);
      return json(500, { error: 'this order cannot be paid here' });
    }
    // A new attempt after a failed or expired one is a new chance to pay; set before the gateway
    // answers, so a gateway that settles at once (cash on delivery, a synchronous failure) is kept.
    if (order.status !== 'pending') {
      order.status = 'pending';
      delete order.code;
      delete order.message;
    }
    let done: (answer: Attempt['answer'] | undefined) => void = () => {};
    creating.set(slot, { method, answer: new Promise((resolve) => (done = resolve)) });
    try {
      const result = await gateway.create({
        order,
        sequence: order.creates,
        method,
        client,
        returnUrl: withOrderId(ownReturnUrl(body.returnUrl) ?? `${origin()}${paths.return}`, order.orderId),
        notifyUrl: notifyUrl(gateway.id),
        userAgent: request.headers.get('user-agent') ?? '',
        clientIp: remoteAddress.get(request) ?? '127.0.0.1',
        idempotencyKey: key,
      });
      const answer = { gateway: gateway.id, response: result.response };
      order.attempts.push({
        idempotencyKey: key,
        method,
        answer,
        reference: result.reference,
        merchantReference: result.merchantReference,
      });
      await log(order, `created ${gateway.id} payment ${result.reference} (${method}, ${client.type})`);
      if (result.settled) {
        settle(order, result.settled.status, [result.reference], result.settled.code, result.settled.message);
        config.log?.(order.log.at(-1) ?? '', order);
      }
      await orders.save(order);
      done(answer);
      return json(200, answer);
    } catch (error) {
      // The message is the module's own (never a key); the widget is told only that it failed.
      await log(order, `create failed: ${error instanceof Error ? error.message : String(error)}`);
      await orders.save(order);
      done(undefined);
      return json(502, { error: 'the gateway could not be reached' });
    } finally {
      creating.delete(slot);
    }
  }

  async function status(request: Request): Promise<Response> {
    const order = await orders.get(new URL(request.url).searchParams.get('orderId') ?? '');
    if (!order) return json(404, { error: 'no such order' });
    return json(200, {
      status: order.status,
      ...(order.code ? { code: order.code } : {}),
      ...(order.message ? { message: order.message } : {}),
      // For the merchant's own tools (the widget ignores it): payments to refund.
      ...(order.extraPayments.length ? { extraPayments: order.extraPayments } : {}),
    });
  }

  async function notify(request: Request, id: string): Promise<Response> {
    const gateway = gateways.get(id);
    if (!gateway) return json(404, { error: 'no such gateway' });
    const outcome = await gateway.notify(request);
    if (!outcome.verified) return outcome.reply;
    const { result } = outcome;
    if (!result) return outcome.accept;
    const order = await orders.get(result.orderId);
    // Not (yet) a payment of ours: refused, so the gateway sends it again once the create is saved.
    if (!order) return outcome.reject;
    if (order.gateway !== gateway.id) {
      await log(order, `refused a ${gateway.id} notify: the order is paid with ${order.gateway}`);
      await orders.save(order);
      return outcome.reject;
    }
    if (!attemptOf(order, result.references)) return outcome.reject;
    if (result.status === 'paid') {
      if (
        result.amount !== order.amount ||
        (result.currency !== undefined && result.currency.toUpperCase() !== order.currency)
      ) {
        await log(order, `refused a ${gateway.id} notify: amount or currency is not the order's`);
        await orders.save(order);
        return outcome.reject;
      }
      settle(order, 'paid', result.references);
    } else settle(order, result.status, result.references, result.code, result.message);
    const line = order.log.at(-1);
    if (line) config.log?.(line, order);
    await orders.save(order);
    return outcome.accept;
  }

  async function handle(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/$/, '') || '/';
    if (path === paths.create && request.method === 'POST') return create(request);
    if (path === paths.status && request.method === 'GET') return status(request);
    if (path.startsWith(`${paths.notify}/`) && (request.method === 'POST' || request.method === 'GET'))
      return notify(request, decodeURIComponent(path.slice(paths.notify.length + 1)));
    if (path === paths.return && request.method === 'GET') {
      const page = new URL(config.returnPage ?? '/', origin());
      page.searchParams.set('orderId', url.searchParams.get('orderId') ?? '');
      return new Response(null, { status: 303, headers: { location: page.href, 'cache-control': 'no-store' } });
    }
    return undefined;
  }

  return {
    orders,
    notifyUrl,
    handle,
    async fetch(request) {
      return (await handle(request)) ?? json(404, { error: 'not found' });
    },
    node(req, res, next) {
      // The URL is built on the configured origin: the request's Host is never read.
      const request = toRequest(req, origin());
      handle(request).then(
        async (response) => {
          if (!response) {
            if (next) next();
            else await send(res, json(404, { error: 'not found' }));
            return;
          }
          await send(res, response);
        },
        (error: unknown) => {
          if (next) next(error);
          else if (!res.headersSent) void send(res, json(500, { error: 'internal error' }));
        },
      );
    },
  };
}

async function readText(request: Request): Promise<string> {
  const text = await request.text();
  if (text.length > LIMIT) throw new Error('request body too large');
  return text;
}

/** A Node request as a Fetch `Request`, its URL on `origin` (never the `Host` header's). */
export function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const method = req.method ?? 'GET';
  const chunks: Buffer[] = [];
  let size = 0;
  const body =
    method === 'GET' || method === 'HEAD'
      ? null
      : new ReadableStream<Uint8Array>({
          start(controller) {
            req.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size > LIMIT) {
                controller.error(new Error('request body too large'));
                req.destroy();
                return;
              }
              chunks.push(chunk);
            });
            req.on('end', () => {
              controller.enqueue(new Uint8Array(Buffer.concat(chunks)));
              controller.close();
            });
            req.on('error', (error) => controller.error(error));
          },
        });
  const request = new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    body,
    // Node's fetch needs this for a streamed body.
    ...(body ? { duplex: 'half' } : {}),
  } as RequestInit);
  if (req.socket.remoteAddress) remoteAddress.set(request, req.socket.remoteAddress);
  return request;
}

/** Writes a Fetch `Response` to a Node response. */
export async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}
