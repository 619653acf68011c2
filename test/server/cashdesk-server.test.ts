// cashdesk/server as a merchant runs it: under Node's own http server and under a Fetch-API server
// (Hono's Node adapter), against the gateway simulators on a server of their own, over real HTTP.
// One order per gateway is paid to its signed notify; nothing else can mark it paid.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import { Router } from '../../demo/sandbox/http.js';
import { merchantServer } from '../../demo/sandbox/merchant.js';
import { ScenarioBoard } from '../../demo/sandbox/simulators/board.js';
import { SIMULATORS } from '../../demo/sandbox/simulators/index.js';
import { epay } from '../../src/server/gateways/epay.js';
import { createCashdeskServer, MemoryOrderStore, ServerConfigError } from '../../src/server/index.js';

const listen = (server: Server) =>
  new Promise<string>((done) =>
    server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
const close = (server: Server) =>
  new Promise<void>((done) => {
    server.closeAllConnections();
    server.close(() => done());
  });

/** The simulators alone: the gateways, each with its own state, as a merchant's backend reaches them. */
async function startGateways() {
  const board = new ScenarioBoard();
  const router = new Router();
  for (const simulator of SIMULATORS) simulator.routes(router, board);
  const server = createServer((req, res) =>
    router.handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    }),
  );
  return { board, server, origin: await listen(server) };
}

/** How a phone pays each gateway's desktop QR: its content, from the create answer. */
const QR: Record<string, { scenario: string; method: string; content(response: unknown): string }> = {
  epay: { scenario: 'qrcode', method: 'wxpay', content: (r) => (r as { qrcode: string }).qrcode },
  useepay: { scenario: 'qr', method: 'alipay', content: (r) => (r as { codeUrl: string }).codeUrl },
  pingpp: {
    scenario: 'wx_pub_qr',
    method: 'wxpay',
    content: (r) => {
      const charge = JSON.parse((r as { data: { payContent: string } }).data.payContent);
      return charge.credential.wx_pub_qr;
    },
  },
  // CareyShop's web answer for WeChat is a page with the code as an image; its text is the content.
  careyshop: {
    scenario: 'web',
    method: 'wxpay',
    content: (r) => {
      const src = /<img[^>]+src="([^"]+)"/.exec(String(r))?.[1] ?? '';
      return new URL(src.replace(/&amp;/g, '&'), 'http://x/').searchParams.get('text') ?? '';
    },
  },
  alipayplus: {
    scenario: 'order-code',
    method: 'alipay',
    content: (r) => (r as { actionForm: { orderCode: string } }).actionForm.orderCode,
  },
};

async function payEach(shop: string, gateways: { origin: string; board: ScenarioBoard }, orders: MemoryOrderStore) {
  // Set in Ping++'s dashboard: its webhooks name no URL of their own.
  gateways.board.setWebhook('pingpp', `${shop}/api/notify/pingpp`);
  for (const [gateway, how] of Object.entries(QR)) {
    const order = orders.create({ amount: 9900, currency: 'CNY', subject: 'A test order', gateway });
    gateways.board.set(order.orderId, how.scenario);
    const created = await fetch(`${shop}/api/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' },
      body: JSON.stringify({
        orderId: order.orderId,
        method: how.method,
        idempotencyKey: 'k1',
        client: { type: 'pc', os: 'other', inApp: null },
      }),
    });
    assert.equal(created.status, 200, gateway);
    const answer = (await created.json()) as { gateway: string; response: unknown };
    assert.equal(answer.gateway, gateway);
    const status = async () =>
      ((await (await fetch(`${shop}/api/status?orderId=${order.orderId}`)).json()) as { status: string }).status;
    assert.equal(await status(), 'pending', gateway);
    // The shopper's phone scans the code: the gateway notifies the shop, signed.
    const scanned = await fetch(`${gateways.origin}/gw/${gateway}/scan`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ content: how.content(answer.response) }),
    });
    assert.equal(scanned.status, 200, `${gateway} scan`);
    for (let i = 0; i < 50 && (await status()) !== 'paid'; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await status(), 'paid', `${gateway}: ${order.log.join('; ')}`);
  }
}

describe('cashdesk/server', () => {
  let gateways: Awaited<ReturnType<typeof startGateways>>;
  before(async () => {
    gateways = await startGateways();
  });
  after(() => close(gateways.server));

  test("under Node's http server, one order per gateway is paid by its signed notify", async () => {
    const orders = new MemoryOrderStore();
    let origin = '';
    const shop = createServer((req, res) => server.node(req, res));
    const server = merchantServer(() => origin, orders, gateways.origin);
    origin = await listen(shop);
    try {
      await payEach(origin, gateways, orders);
    } finally {
      await close(shop);
    }
  });

  test('under a Fetch-API server (Hono), the same', async () => {
    const orders = new MemoryOrderStore();
    let origin = '';
    const server = merchantServer(() => origin, orders, gateways.origin);
    const shop = serve({
      fetch: (request: Request) => server.fetch(request),
      port: 0,
      hostname: '127.0.0.1',
    }) as Server;
    await new Promise((done) => shop.once('listening', done));
    origin = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
    try {
      await payEach(origin, gateways, orders);
    } finally {
      await close(shop);
    }
  });

  test('a configuration mistake is said at once, naming what is missing and never a secret', () => {
    assert.throws(() => createCashdeskServer({ origin: 'shop.example', gateways: [] }), ServerConfigError);
    assert.throws(() => createCashdeskServer({ origin: 'https://shop.example', gateways: [] }), /gateways is empty/);
    assert.throws(() => epay({ pid: '1001', key: '', baseUrl: 'https://pay.example/' }), /epay\.key is missing/);
    assert.throws(
      () => epay({ pid: '1001', key: 'secret-key-1', baseUrl: 'pay.example' }),
      (error: Error) => error instanceof ServerConfigError && !error.message.includes('secret-key-1'),
    );
  });
});
