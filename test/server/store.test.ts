// cashdesk/server with a store that behaves as a database does: every read is a fresh copy, and an
// update is a transaction. Nothing one request does may be lost to another's save: a payment made
// while another attempt is being created, two payments notified at once, two creates at once.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { readBody } from '../../src/server/http.js';
import { createCashdeskServer, type MerchantGateway, type Order, type OrderStore } from '../../src/server/index.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** Rows of JSON, a copy per read, and one update of an order at a time (a row lock). */
class JsonStore implements OrderStore {
  readonly rows = new Map<string, string>();
  private readonly locks = new Map<string, Promise<unknown>>();

  add(order: Partial<Order> & { orderId: string }): void {
    this.rows.set(
      order.orderId,
      JSON.stringify({
        amount: 100,
        currency: 'CNY',
        subject: 'x',
        gateway: 'fake',
        status: 'pending',
        attempts: [],
        creates: 0,
        log: [],
        extraPayments: [],
        ...order,
      }),
    );
  }

  async get(orderId: string): Promise<Order | undefined> {
    await tick();
    const row = this.rows.get(orderId);
    return row === undefined ? undefined : (JSON.parse(row) as Order);
  }

  update<T>(orderId: string, change: (order: Order) => T): Promise<{ order: Order; value: T } | undefined> {
    const run = (this.locks.get(orderId) ?? Promise.resolve()).then(async () => {
      const order = await this.get(orderId);
      if (!order) return undefined;
      const value = change(order);
      await tick();
      this.rows.set(orderId, JSON.stringify(order));
      return { order, value };
    });
    this.locks.set(
      orderId,
      run.catch(() => undefined),
    );
    return run;
  }
}

function deferred() {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** A gateway whose creates wait until released, and whose notify is `{orderId, ref, amount}` JSON. */
function fakeGateway() {
  const holds = new Map<number, Promise<void>>();
  const gateway: MerchantGateway = {
    id: 'fake',
    async create(input) {
      await holds.get(input.sequence);
      return {
        response: { sequence: input.sequence },
        reference: `R${input.sequence}`,
        merchantReference: `${input.order.orderId}-${input.sequence}`,
      };
    },
    async notify(request) {
      const text = await readBody(request);
      // A module that meets what it did not expect, with a secret in its words.
      if (text === 'explode') throw new Error('sk_live_Secret0123 was refused');
      const body = JSON.parse(text) as { orderId: string; ref: string; amount: number };
      return {
        verified: true,
        accept: new Response('ok'),
        reject: new Response('no', { status: 400 }),
        result: { orderId: body.orderId, status: 'paid', amount: body.amount, references: [body.ref] },
      };
    },
  };
  return { gateway, holds };
}

function setup() {
  const store = new JsonStore();
  store.add({ orderId: 'A1' });
  const fake = fakeGateway();
  const server = createCashdeskServer({ origin: 'https://shop.example', gateways: [fake.gateway], orders: store });
  const pay = (key: string) =>
    server.fetch(
      new Request('https://shop.example/api/pay', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ orderId: 'A1', method: 'x', idempotencyKey: key, client: { type: 'pc' } }),
      }),
    );
  const notify = (ref: string) =>
    server.fetch(
      new Request('https://shop.example/api/notify/fake', {
        method: 'POST',
        body: JSON.stringify({ orderId: 'A1', ref, amount: 100 }),
      }),
    );
  return { store, server, pay, notify, holds: fake.holds };
}

describe('cashdesk/server with a database store', () => {
  test('a payment notified while another attempt is being created stays paid', async () => {
    const { store, pay, notify, holds } = setup();
    assert.equal((await pay('k1')).status, 200);
    const release = deferred();
    holds.set(2, release.promise);
    const second = pay('k2');
    await tick();
    await tick();
    assert.equal((await notify('R1')).status, 200);
    release.resolve();
    assert.equal((await second).status, 200);
    const order = (await store.get('A1')) as Order;
    assert.equal(order.status, 'paid');
    assert.equal(order.paidBy, 'R1');
    assert.deepEqual(
      order.attempts.map((attempt) => attempt.reference),
      ['R1', 'R2'],
    );
  });

  test('two payments notified at once: one pays the order, the other is kept for a refund', async () => {
    const { store, pay, notify } = setup();
    await pay('k1');
    await pay('k2');
    const answers = await Promise.all([notify('R1'), notify('R2')]);
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200],
    );
    const order = (await store.get('A1')) as Order;
    assert.equal(order.status, 'paid');
    assert.equal([order.paidBy, ...order.extraPayments].sort().join(' '), 'R1 R2');
  });

  test('the same create twice at once is one payment, and both requests are counted', async () => {
    const { store, pay, holds } = setup();
    const release = deferred();
    holds.set(1, release.promise);
    const first = pay('k1');
    // The second arrives while the gateway is still creating the first.
    for (let i = 0; i < 5; i += 1) await tick();
    const second = pay('k1');
    for (let i = 0; i < 5; i += 1) await tick();
    release.resolve();
    const [a, b] = await Promise.all([first, second]);
    assert.deepEqual(await b.json(), await a.json());
    const order = (await store.get('A1')) as Order;
    assert.equal(order.attempts.length, 1);
    assert.equal(order.creates, 2);
  });

  test('two creates at once with two keys are two payments with two merchant numbers', async () => {
    const { store, pay } = setup();
    await Promise.all([pay('k1'), pay('k2')]);
    const order = (await store.get('A1')) as Order;
    assert.deepEqual(order.attempts.map((attempt) => attempt.merchantReference).sort(), ['A1-1', 'A1-2']);
  });
});

describe('cashdesk/server bodies', () => {
  test('a body over 1 MiB is refused as it streams', async () => {
    const { server } = setup();
    const answer = await server.fetch(
      new Request('https://shop.example/api/pay', {
        method: 'POST',
        headers: { 'idempotency-key': 'k1' },
        body: 'x'.repeat(2 * 1024 * 1024),
      }),
    );
    assert.equal(answer.status, 400);
    const notify = await server.fetch(
      new Request('https://shop.example/api/notify/fake', { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) }),
    );
    assert.equal(notify.status, 413);
  });

  test('a hostile create body is a 400, and what a module throws is a 500 that says nothing of it', async () => {
    const { server } = setup();
    const hostile = await server.fetch(
      new Request('https://shop.example/api/pay', {
        method: 'POST',
        headers: { 'idempotency-key': 'k1' },
        body: JSON.stringify({ orderId: { toString: 1 }, method: 'x', idempotencyKey: 'k1', client: { type: 'pc' } }),
      }),
    );
    assert.equal(hostile.status, 400);
    const thrown = await server.fetch(
      new Request('https://shop.example/api/notify/fake', { method: 'POST', body: 'explode' }),
    );
    assert.equal(thrown.status, 500);
    assert.doesNotMatch(await thrown.text(), /sk_live|refused/);
    const badPath = await server.fetch(new Request('https://shop.example/api/notify/%E0%A4%A', { method: 'POST' }));
    assert.equal(badPath.status, 404);
  });

  test('under Express-style middleware, a request for another route reaches next with its body unread', async () => {
    const { server } = setup();
    const http: Server = createServer((req, res) =>
      server.node(req, res, async () => {
        let size = 0;
        for await (const chunk of req) size += (chunk as Buffer).length;
        res.writeHead(200).end(String(size));
      }),
    );
    await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
    try {
      const { port } = http.address() as AddressInfo;
      const answer = await fetch(`http://127.0.0.1:${port}/shop/cart`, { method: 'POST', body: 'x'.repeat(5000) });
      assert.equal(await answer.text(), '5000');
    } finally {
      http.closeAllConnections();
      http.close();
    }
  });
});
