/**
 * `cashdesk/server`: the merchant backend the widget talks to, as Fetch-API handlers
 * (`Request → Response`) for Node 20+, Deno, Bun, Hono, Next.js route handlers, and with `node()`
 * for Node's http and Express. It creates the payment at the gateway (signed with keys only the
 * server holds), answers the widget's status checks, and verifies each gateway's notify before
 * anything is marked paid. Its own URLs come from `origin`, never from a request's `Host`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, LIMIT, readBody } from './http.js';
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
  /**
   * Each order log line as it is written (never holds a secret), and without `order` the error a
   * gateway module or the store threw: `console.info` in development.
   */
  log?: (line: string, order?: Readonly<Order>) => void;
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
  /** Writes a line to the order's log (inside an update) and hands it to `config.log` once saved. */
  const say = (order: Order, lines: string[], line: string) => {
    order.log.push(line);
    lines.push(line);
  };
  const tell = (lines: string[], order: Order | undefined) => {
    if (order) for (const line of lines) config.log?.(line, order);
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

  type Decision =
    | { kind: 'answer'; response: Response }
    | { kind: 'create'; order: Order; sequence: number; gateway: MerchantGateway };

  async function create(request: Request): Promise<Response> {
    let body: Record<string, unknown> = {};
    try {
      const value: unknown = JSON.parse(await readBody(request));
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) body = value as Record<string, unknown>;
    } catch {
      return json(400, { error: 'the body must be JSON, at most 1 MiB' });
    }
    const key = request.headers.get('idempotency-key');
    if (!key || key !== body.idempotencyKey)
      return json(400, { error: 'the Idempotency-Key header and body must match' });
    if (typeof body.orderId !== 'string' || typeof body.method !== 'string')
      return json(400, { error: 'orderId and method must be strings' });
    const { orderId, method } = body;
    const client = readClient(body.client);
    if (!client) return json(400, { error: `client.type must be one of ${CLIENT_TYPES.join(', ')}` });
    const slot = `${orderId} ${key}`;
    const running = creating.get(slot);
    if (running) {
      // The same key still being created (the client gave up waiting and sent it again): wait for
      // that one and answer with it, never a second gateway payment.
      if (running.method !== method) return json(409, { error: 'this idempotency key was used for another method' });
      // Counted as every create is, whether it comes during the first or after it.
      await orders.update(orderId, (order) => {
        order.creates += 1;
      });
      const answer = await running.answer;
      return answer ? json(200, answer) : json(502, { error: 'the gateway could not be reached' });
    }
    let done: (answer: Attempt['answer'] | undefined) => void = () => {};
    creating.set(slot, { method, answer: new Promise((resolve) => (done = resolve)) });
    const lines: string[] = [];
    try {
      const decided = await orders.update(orderId, (order): Decision => {
        order.creates += 1;
        // One payment per idempotency key: a retry with the same key gets the same answer.
        const known = order.attempts.find((attempt) => attempt.idempotencyKey === key);
        if (known) {
          if (known.method !== method)
            return {
              kind: 'answer',
              response: json(409, { error: 'this idempotency key was used for another method' }),
            };
          say(order, lines, `create retried with the same key: same payment ${known.reference}`);
          // The shopper is on this payment again (back to a method tried before): it is the latest.
          order.attempts = [...order.attempts.filter((attempt) => attempt !== known), known];
          return { kind: 'answer', response: json(200, known.answer) };
        }
        if (order.status === 'paid')
          return { kind: 'answer', response: json(409, { error: 'the order is already paid' }) };
        const gateway = gateways.get(order.gateway);
        if (!gateway) {
          say(order, lines, `the order's gateway ${order.gateway} is not configured`);
          return { kind: 'answer', response: json(500, { error: 'this order cannot be paid here' }) };
        }
        // A new attempt after a failed or expired one is a new chance to pay.
        if (order.status !== 'pending') {
          order.status = 'pending';
          delete order.code;
          delete order.message;
        }
        return { kind: 'create', order: structuredClone(order), sequence: order.creates, gateway };
      });
      if (!decided) {
        done(undefined);
        return json(404, { error: 'no such order' });
      }
      tell(lines.splice(0), decided.order);
      const decision = decided.value;
      if (decision.kind === 'answer') {
        done(undefined);
        return decision.response;
      }
      const { gateway } = decision;
      let result: Awaited<ReturnType<MerchantGateway['create']>>;
      try {
        result = await gateway.create({
          order: decision.order,
          sequence: decision.sequence,
          method,
          client,
          returnUrl: withOrderId(ownReturnUrl(body.returnUrl) ?? `${origin()}${paths.return}`, orderId),
          notifyUrl: notifyUrl(gateway.id),
          userAgent: request.headers.get('user-agent') ?? '',
          clientIp: remoteAddress.get(request) ?? '127.0.0.1',
          idempotencyKey: key,
        });
      } catch (error) {
        // The message is the module's own (never a key); the widget is told only that it failed.
        const saved = await orders.update(orderId, (order) =>
          say(order, lines, `create failed: ${error instanceof Error ? error.message : String(error)}`),
        );
        tell(lines, saved?.order);
        done(undefined);
        return json(502, { error: 'the gateway could not be reached' });
      }
      const answer = { gateway: gateway.id, response: result.response };
      // Read again: a notify may have paid an earlier attempt while the gateway answered.
      const saved = await orders.update(orderId, (order) => {
        order.attempts.push({
          idempotencyKey: key,
          method,
          answer,
          reference: result.reference,
          merchantReference: result.merchantReference,
        });
        say(order, lines, `created ${gateway.id} payment ${result.reference} (${method}, ${client.type})`);
        if (result.settled) {
          settle(order, result.settled.status, [result.reference], result.settled.code, result.settled.message);
          lines.push(order.log.at(-1) ?? '');
        }
      });
      tell(lines, saved?.order);
      done(answer);
      return json(200, answer);
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
    const lines: string[] = [];
    const saved = await orders.update(result.orderId, (order): boolean => {
      if (order.gateway !== gateway.id) {
        say(order, lines, `refused a ${gateway.id} notify: the order is paid with ${order.gateway}`);
        return false;
      }
      if (!attemptOf(order, result.references)) {
        // Signed, but for no payment this order knows (yet): refused, so the gateway sends it
        // again once the create is saved; said, in case the create was lost and it needs a refund.
        say(
          order,
          lines,
          `${gateway.id} notify for an unknown payment ${result.references.join(' ')} (${result.status}): refused`,
        );
        return false;
      }
      if (result.status === 'paid') {
        const currency = result.currency?.toUpperCase();
        if (result.amount !== order.amount || (currency !== undefined && currency !== order.currency)) {
          say(order, lines, `refused a ${gateway.id} notify: amount or currency is not the order's`);
          return false;
        }
        settle(order, 'paid', result.references);
      } else settle(order, result.status, result.references, result.code, result.message);
      lines.push(order.log.at(-1) ?? '');
      return true;
    });
    tell(lines, saved?.order);
    // Not (yet) an order of ours: refused, so the gateway sends it again.
    return saved?.value ? outcome.accept : outcome.reject;
  }

  /** Which of the backend's routes a request is for, from its method and path alone. */
  function route(method: string, pathname: string): ((request: Request) => Promise<Response>) | undefined {
    const path = pathname.replace(/\/$/, '') || '/';
    if (path === paths.create && method === 'POST') return create;
    if (path === paths.status && method === 'GET') return status;
    if (path.startsWith(`${paths.notify}/`) && (method === 'POST' || method === 'GET')) {
      return async (request) => {
        let id: string;
        try {
          id = decodeURIComponent(path.slice(paths.notify.length + 1));
        } catch {
          return json(404, { error: 'no such gateway' });
        }
        return notify(request, id);
      };
    }
    if (path === paths.return && method === 'GET') {
      return async (request) => {
        const page = new URL(config.returnPage ?? '/', origin());
        page.searchParams.set('orderId', new URL(request.url).searchParams.get('orderId') ?? '');
        return new Response(null, { status: 303, headers: { location: page.href, 'cache-control': 'no-store' } });
      };
    }
    return undefined;
  }

  async function handle(request: Request): Promise<Response | undefined> {
    const handler = route(request.method, new URL(request.url).pathname);
    if (!handler) return undefined;
    try {
      return await handler(request);
    } catch (error) {
      // Never the error's text to a caller: it may be anything a module or a store threw.
      config.log?.(`cashdesk/server: ${error instanceof Error ? error.message : String(error)}`);
      return json(error instanceof BodyTooLarge ? 413 : 500, {
        error: error instanceof BodyTooLarge ? 'body too large' : 'internal error',
      });
    }
  }

  return {
    orders,
    notifyUrl,
    handle,
    async fetch(request) {
      return (await handle(request)) ?? json(404, { error: 'not found' });
    },
    node(req, res, next) {
      // Not one of the backend's routes: passed on with its body unread.
      if (!route(req.method ?? 'GET', new URL(req.url ?? '/', 'http://x').pathname)) {
        if (next) next();
        else void send(res, json(404, { error: 'not found' }));
        return;
      }
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
