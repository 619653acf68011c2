/**
 * The sandbox merchant backend itself, as a merchant would copy it: one payment per idempotency
 * key even when the same create arrives twice at once, and a notify pays only with the right
 * signature and the right amount.
 */
import { createHash } from 'node:crypto';
import { expect, test } from './strict-csp.js';

const client = { type: 'pc', os: 'other', inApp: null };

async function newOrder(request: import('@playwright/test').APIRequestContext, scenario = 'qrcode') {
  const response = await request.post('/api/orders', {
    data: { gateway: 'epay', scenario, amount: 9900, currency: 'CNY' },
  });
  return ((await response.json()) as { orderId: string }).orderId;
}

test('the same create sent twice at once makes one payment, and both get the same answer', async ({ request }) => {
  const orderId = await newOrder(request);
  const key = `key-${Date.now()}`;
  const create = () =>
    request.post('/api/pay', {
      headers: { 'Idempotency-Key': key },
      data: { orderId, method: 'wxpay', client, returnUrl: 'http://127.0.0.1/return', idempotencyKey: key },
    });
  const [a, b] = await Promise.all([create(), create()]);
  expect(a.status()).toBe(200);
  expect(b.status()).toBe(200);
  expect(await a.json()).toEqual(await b.json());
  const order = (await (await request.get(`/api/orders/${orderId}`)).json()) as { attempts: string[]; creates: number };
  expect(order.creates).toBe(2);
  expect(order.attempts).toHaveLength(1);
});

test('an epay notify pays only with the merchant key and the order amount', async ({ request }) => {
  const orderId = await newOrder(request);
  const key = `key-${Date.now()}`;
  const answer = (await (
    await request.post('/api/pay', {
      headers: { 'Idempotency-Key': key },
      data: { orderId, method: 'wxpay', client, returnUrl: 'http://127.0.0.1/return', idempotencyKey: key },
    })
  ).json()) as { response: { trade_no: string } };
  const tradeNo = answer.response.trade_no;
  const sign = (params: Record<string, string>, secret: string) =>
    createHash('md5')
      .update(
        Object.keys(params)
          .sort()
          .map((k) => `${k}=${params[k]}`)
          .join('&') + secret,
      )
      .digest('hex');
  const base = {
    pid: '1001',
    trade_no: tradeNo,
    out_trade_no: `${orderId}-1`,
    type: 'wxpay',
    name: 'x',
    trade_status: 'TRADE_SUCCESS',
  };
  const status = async () =>
    ((await (await request.get(`/api/status?orderId=${orderId}`)).json()) as { status: string }).status;
  const notify = (params: Record<string, string>, secret: string) =>
    request.get(`/api/notify/epay?${new URLSearchParams({ ...params, sign: sign(params, secret), sign_type: 'MD5' })}`);

  // An attacker without the key.
  expect((await notify({ ...base, money: '99.00' }, 'guessed-key')).status()).toBe(400);
  expect(await status()).toBe('pending');
  // The right key over the wrong amount (as if a cheaper order's notify were replayed).
  // Answered "fail", so a genuine gateway would send its notify again rather than drop it.
  expect((await notify({ ...base, money: '0.01' }, 'sandbox-epay-key-3f8a1c')).status()).toBe(400);
  expect(await status()).toBe('pending');
  // The genuine notify.
  await notify({ ...base, money: '99.00' }, 'sandbox-epay-key-3f8a1c');
  expect(await status()).toBe('paid');
});
