/**
 * The sandbox: a merchant backend and five gateway simulators in the dev server's process, with no
 * account and no network. `npm start` serves it beside the demo pages; `npm run preview` beside the
 * production build; the end-to-end tests run against the latter.
 *
 * The two halves never reach into each other. The merchant backend is `cashdesk/server` configured
 * as a merchant would (`merchant.ts`); the simulators (`simulators/`) keep their own state and are
 * reached over HTTP, as real gateways are. What ties them here is only the gallery's own calls: a
 * new order, the scenario a simulator should play for it, the simulated wallets' answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import { type CashdeskServer, MemoryOrderStore } from '../../src/server/index.js';
import { ownOrigin, query, Router, readJson, sendJson } from './http.js';
import { merchantServer } from './merchant.js';
import { ScenarioBoard } from './simulators/board.js';
import { SIMULATORS } from './simulators/index.js';
import type { Simulator } from './simulators/types.js';

export function createSandbox(
  simulators: readonly Simulator[] = SIMULATORS,
  /** The sandbox's public origin; by default the loopback address each request reached (never `Host`). */
  configured: string | undefined = process.env.CASHDESK_SANDBOX_ORIGIN,
) {
  const orders = new MemoryOrderStore();
  const board = new ScenarioBoard();
  const router = new Router();
  const byId = new Map(simulators.map((simulator) => [simulator.id, simulator]));
  /** One merchant backend per origin the sandbox is reached on (its port is known once it listens). */
  const servers = new Map<string, CashdeskServer>();
  const serverFor = (origin: string) => {
    let server = servers.get(origin);
    if (!server) {
      server = merchantServer(origin, orders);
      servers.set(origin, server);
    }
    return server;
  };

  // The gallery's own calls: what can be tried, a new order, and what happened to it.
  router.on('GET', '/api/sandbox', (_req, res) =>
    sendJson(res, 200, {
      gateways: simulators.map(({ id, label, methods, scenarios }) => ({ id, label, methods, scenarios })),
    }),
  );
  router.on('POST', '/api/orders', async (req, res) => {
    const body = await readJson(req);
    const simulator = byId.get(String(body.gateway ?? ''));
    if (!simulator) return sendJson(res, 400, { error: 'unknown gateway' });
    const amount = Number(body.amount ?? 9900);
    if (!Number.isSafeInteger(amount) || amount <= 0)
      return sendJson(res, 400, { error: 'amount must be minor units' });
    const order = orders.create({
      amount,
      currency: String(body.currency ?? 'CNY'),
      subject: String(body.subject ?? 'Sandbox order'),
      gateway: simulator.id,
      orderId: newOrderId(),
    });
    // The simulator's control: which of its documented answers it plays for this order.
    board.set(order.orderId, String(body.scenario ?? simulator.scenarios[0]?.id ?? ''));
    return sendJson(res, 201, { orderId: order.orderId, amount: order.amount, currency: order.currency });
  });
  router.on('GET', '/api/orders/:orderId', (req, res, params) => {
    const order = orders.get(params.orderId ?? query(req).get('orderId') ?? '');
    if (!order) return sendJson(res, 404, { error: 'no such order' });
    const { attempts, ...rest } = order;
    return sendJson(res, 200, {
      ...rest,
      // The gallery's own view: the scenario the simulator plays for this order.
      scenario: board.of(order.orderId, ''),
      attempts: attempts.map((attempt) => attempt.reference),
    });
  });

  // The gallery's simulated WeChat sheet and app SDK report here; the simulator settles the payment
  // as the real wallet would (a signed notify to the merchant backend).
  router.on('POST', '/api/sandbox/wechat-confirm', async (req, res) => {
    const body = await readJson(req);
    const simulator = byId.get(String(body.gateway ?? ''));
    const outcome = body.outcome === 'ok' || body.outcome === 'cancel' ? body.outcome : 'fail';
    const params = (body.params ?? {}) as Record<string, string>;
    if (!simulator?.confirmWechat) return sendJson(res, 404, { error: 'this gateway has no WeChat JSAPI payments' });
    await simulator.confirmWechat(params, outcome, ownOrigin(req, configured));
    return sendJson(res, 200, { outcome });
  });
  router.on('POST', '/api/sandbox/app-confirm', async (req, res) => {
    const body = await readJson(req);
    const simulator = byId.get(String(body.gateway ?? ''));
    if (!simulator?.confirmApp) return sendJson(res, 404, { error: 'this gateway has no app payments' });
    await simulator.confirmApp(body.token, String(body.outcome ?? 'fail'), ownOrigin(req, configured));
    return sendJson(res, 200, { outcome: body.outcome });
  });

  for (const simulator of simulators) simulator.routes(router, board);

  const middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    router.handle(req, res).then(
      (handled) => {
        if (handled) return;
        // Everything else the merchant backend may answer (`/api/pay`, `/api/status`, notifies).
        serverFor(ownOrigin(req, configured)).node(req, res, next);
      },
      (error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      },
    );
  };
  return { orders, board, router, middleware };
}

let sequence = 0;
/** `SBX…`: the sandbox shop's order numbers. */
function newOrderId(): string {
  sequence += 1;
  return `SBX${Date.now().toString(36).toUpperCase()}${String(sequence).padStart(3, '0')}`;
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
