/**
 * The sandbox merchant backend: the create and status endpoints cashdesk talks to (DESIGN.md,
 * "Merchant backend"), a notify endpoint per gateway that verifies the gateway's signature before
 * anything is marked paid, and a return page. Copy this shape into your own backend.
 */
import type { ServerResponse } from 'node:http';
import { ownOrigin, query, type Request, type Router, readJson, redirect, sendJson } from './http.js';
import type { Attempt, Store } from './store.js';
import type { Client, GatewayModule, SandboxContext } from './types.js';

const CLIENT_TYPES = ['pc', 'mobile', 'wechat', 'alipay', 'qq'];

function readClient(value: unknown): Client | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const client = value as Record<string, unknown>;
  if (!CLIENT_TYPES.includes(String(client.type))) return undefined;
  return {
    type: client.type as Client['type'],
    os: typeof client.os === 'string' ? client.os : 'other',
    inApp: typeof client.inApp === 'string' ? client.inApp : null,
  };
}

/**
 * The page's return URL when it is an absolute URL on the shop's own origin, as parsed; else
 * nothing. Taken from any caller as it is, it would let anyone choose where the gateway sends the
 * shopper after paying, and a relative one means nothing to a gateway.
 */
function ownReturnUrl(value: unknown, origin: string): string | undefined {
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) return undefined;
  try {
    const url = new URL(value);
    return url.origin === new URL(origin).origin ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function merchantBackend(
  router: Router,
  store: Store,
  gateways: Map<string, GatewayModule>,
  /** This backend's public origin; by default the loopback address it was reached on (never `Host`). */
  origin?: string,
): void {
  const context = (req: Request): SandboxContext => ({ store, origin: ownOrigin(req, origin) });
  /** Creates still waiting for the gateway, by order and idempotency key, as finished ones are kept. */
  const creating = new Map<string, { method: string; answer: Promise<Attempt['answer'] | undefined> }>();

  // Create: one payment per idempotency key. A retry with the same key gets the same answer;
  // the same key reused for something else is refused.
  router.on('POST', '/api/pay', async (req, res) => {
    const body = await readJson(req);
    const key = req.headers['idempotency-key'];
    const order = store.get(String(body.orderId ?? ''));
    const client = readClient(body.client);
    if (typeof key !== 'string' || key === '' || key !== body.idempotencyKey) {
      return sendJson(res, 400, { error: 'the Idempotency-Key header and body must match' });
    }
    if (!order) return sendJson(res, 404, { error: 'no such order' });
    if (!client) return sendJson(res, 400, { error: 'client.type must be one of pc, mobile, wechat, alipay, qq' });
    order.creates += 1;
    const method = String(body.method ?? '');
    const known = order.attempts.get(key);
    if (known) {
      if (known.method !== method)
        return sendJson(res, 409, { error: 'this idempotency key was used for another method' });
      order.log.push(`create retried with the same key: same payment ${known.reference}`);
      // The shopper is on this payment again (back to a method tried before): it is the latest.
      order.attempts.delete(key);
      order.attempts.set(key, known);
      return sendJson(res, 200, known.answer);
    }
    // The same key still being created (the client gave up waiting and sent it again): wait for
    // that one and answer with it, never a second gateway payment.
    const slot = `${order.orderId} ${key}`;
    const running = creating.get(slot);
    if (running) {
      if (running.method !== method)
        return sendJson(res, 409, { error: 'this idempotency key was used for another method' });
      const answer = await running.answer;
      return answer ? sendJson(res, 200, answer) : sendJson(res, 502, { error: 'the gateway could not be reached' });
    }
    if (order.status === 'paid') return sendJson(res, 409, { error: 'the order is already paid' });
    const gateway = gateways.get(order.gateway);
    if (!gateway) return sendJson(res, 500, { error: `no gateway ${order.gateway}` });
    // A new attempt after a failed or expired one is a new chance to pay; set before the gateway
    // answers, so a gateway that settles at once (cash on delivery, a synchronous F) is kept.
    if (order.status === 'expired' || order.status === 'failed' || order.status === 'canceled') {
      order.status = 'pending';
      delete order.code;
      delete order.message;
    }
    let settle: (answer: Attempt['answer'] | undefined) => void = () => {};
    creating.set(slot, {
      method,
      answer: new Promise((resolve) => {
        settle = resolve;
      }),
    });
    try {
      const result = await gateway.create(
        {
          order,
          method,
          client,
          returnUrl:
            ownReturnUrl(body.returnUrl, ownOrigin(req, origin)) ??
            `${ownOrigin(req, origin)}/api/return?orderId=${order.orderId}`,
          userAgent: String(req.headers['user-agent'] ?? ''),
          idempotencyKey: key,
        },
        context(req),
      );
      const answer = { gateway: gateway.id, response: result.response };
      order.attempts.set(key, { method, answer, reference: result.reference });
      order.log.push(`created ${gateway.id} payment ${result.reference} (${method}, ${client.type})`);
      settle(answer);
      return sendJson(res, 200, answer);
    } catch (error) {
      order.log.push(`create failed: ${String(error)}`);
      settle(undefined);
      return sendJson(res, 502, { error: 'the gateway could not be reached' });
    } finally {
      creating.delete(slot);
    }
  });

  router.on('GET', '/api/status', (req, res) => {
    const order = store.get(query(req).get('orderId') ?? '');
    if (!order) return sendJson(res, 404, { error: 'no such order' });
    return sendJson(res, 200, {
      status: order.status,
      ...(order.code ? { code: order.code } : {}),
      ...(order.message ? { message: order.message } : {}),
      // For the merchant's own tools (the widget ignores it): payments to refund.
      ...(order.extraPayments.length ? { extraPayments: order.extraPayments } : {}),
    });
  });

  // The gateway's asynchronous notify. Nothing changes unless its signature checks out.
  const notify = async (req: Request, res: ServerResponse, params: Record<string, string>) => {
    const gateway = gateways.get(params.gateway ?? '');
    if (!gateway) return sendJson(res, 404, { error: 'no such gateway' });
    const result = await gateway.verifyNotify(req, res, context(req));
    if (!result) return;
    const order = store.get(result.orderId);
    if (!order) return;
    // One gateway's notify never settles an order paid with another, whatever its module found.
    if (order.gateway !== gateway.id) {
      order.log.push(`ignored a ${gateway.id} notify: the order is paid with ${order.gateway}`);
      return;
    }
    if (result.status === 'paid') store.settle(order, 'paid', undefined, undefined, result.references);
    else store.settle(order, result.status, result.code, result.message, result.references);
  };
  // Some gateways notify with a POST (Ping++, UseePay, Alipay+), epay with a GET.
  router.on('POST', '/api/notify/:gateway', notify);
  router.on('GET', '/api/notify/:gateway', notify);

  // Where the gateway sends the shopper back: the demo's return page mounts the checkout with
  // `resume` and asks the status endpoint.
  router.on('GET', '/api/return', (req, res) => {
    redirect(res, `/return.html?orderId=${encodeURIComponent(query(req).get('orderId') ?? '')}`);
  });
}
