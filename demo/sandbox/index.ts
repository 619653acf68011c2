/**
 * The sandbox: a merchant backend and five gateway simulators in the dev server's process, with no
 * account and no network. `npm start` serves it beside the demo pages; `npm run preview` beside the
 * production build; the end-to-end tests run against the latter.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import { merchantBackend } from './backend.js';
import { alipayplus } from './gateways/alipayplus.js';
import { careyshop } from './gateways/careyshop.js';
import { epay } from './gateways/epay.js';
import { pingpp } from './gateways/pingpp.js';
import { useepay } from './gateways/useepay.js';
import { ownOrigin, query, Router, readJson, sendJson } from './http.js';
import { Store } from './store.js';
import type { GatewayModule } from './types.js';

const GATEWAY_MODULES: readonly GatewayModule[] = [pingpp, epay, careyshop, alipayplus, useepay];

export function createSandbox(
  modules: readonly GatewayModule[] = GATEWAY_MODULES,
  /** The sandbox's public origin; by default the loopback address each request reached (never `Host`). */
  origin: string | undefined = process.env.CASHDESK_SANDBOX_ORIGIN,
) {
  const store = new Store();
  const router = new Router();
  const gateways = new Map(modules.map((module) => [module.id, module]));
  merchantBackend(router, store, gateways, origin);

  // The gallery's own calls: what can be tried, a new order, and what happened to it.
  router.on('GET', '/api/sandbox', (_req, res) =>
    sendJson(res, 200, {
      gateways: modules.map(({ id, label, methods, scenarios }) => ({ id, label, methods, scenarios })),
    }),
  );
  router.on('POST', '/api/orders', async (req, res) => {
    const body = await readJson(req);
    const gateway = gateways.get(String(body.gateway ?? ''));
    if (!gateway) return sendJson(res, 400, { error: 'unknown gateway' });
    const scenario = String(body.scenario ?? gateway.scenarios[0]?.id ?? '');
    const amount = Number(body.amount ?? 9900);
    if (!Number.isSafeInteger(amount) || amount <= 0)
      return sendJson(res, 400, { error: 'amount must be minor units' });
    const order = store.create({
      amount,
      currency: String(body.currency ?? 'CNY'),
      subject: String(body.subject ?? 'Sandbox order'),
      gateway: gateway.id,
      scenario,
    });
    return sendJson(res, 201, { orderId: order.orderId, amount: order.amount, currency: order.currency });
  });
  router.on('GET', '/api/orders/:orderId', (req, res, params) => {
    const order = store.get(params.orderId ?? query(req).get('orderId') ?? '');
    if (!order) return sendJson(res, 404, { error: 'no such order' });
    const { attempts, ...rest } = order;
    return sendJson(res, 200, { ...rest, attempts: [...attempts.values()].map((a) => a.reference) });
  });

  // The gallery's simulated WeChat sheet and app SDK report here; the gateway module settles the
  // payment as the real wallet would (a signed notify to the merchant backend).
  router.on('POST', '/api/sandbox/wechat-confirm', async (req, res) => {
    const body = await readJson(req);
    const gateway = gateways.get(String(body.gateway ?? ''));
    const outcome = body.outcome === 'ok' || body.outcome === 'cancel' ? body.outcome : 'fail';
    const params = (body.params ?? {}) as Record<string, string>;
    if (!gateway?.confirmWechat) return sendJson(res, 404, { error: 'this gateway has no WeChat JSAPI payments' });
    await gateway.confirmWechat(params, outcome, { store, origin: ownOrigin(req, origin) });
    return sendJson(res, 200, { outcome });
  });
  router.on('POST', '/api/sandbox/app-confirm', async (req, res) => {
    const body = await readJson(req);
    const gateway = gateways.get(String(body.gateway ?? ''));
    if (!gateway?.confirmApp) return sendJson(res, 404, { error: 'this gateway has no app payments' });
    await gateway.confirmApp(body.token, String(body.outcome ?? 'fail'), { store, origin: ownOrigin(req, origin) });
    return sendJson(res, 200, { outcome: body.outcome });
  });

  for (const module of modules) module.routes(router, store);

  const middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    router.handle(req, res).then(
      (handled) => {
        if (!handled) next();
      },
      (error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      },
    );
  };
  return { store, router, middleware };
}

/** The Vite plugin: the sandbox on `npm start` and on `npm run preview`. */
export function sandbox(): Plugin {
  const { middleware } = createSandbox();
  return {
    name: 'cashdesk-sandbox',
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
  };
}
