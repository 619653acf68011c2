/**
 * The UseePay (Alipay direct) simulator against the production preview: every scenario's answer
 * classifies with the script-tag build to the kind the gallery expects, the shopper's pages (WEB
 * QR scan, WAP cashier, POST and GET challenges) end in a verified notify, and a notify that is
 * tampered with changes nothing.
 */
import { createHash } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { type ClientType, openMerchant, orderStatus, SHOP, sandbox, submitForm } from './merchant-page.js';
import { expect, test } from './strict-csp.js';

const useepay = sandbox('useepay');
const { newOrder, classify } = useepay;

/** The sandbox merchant's UseePay key and number (demo/sandbox/credentials.ts), to forge notifies. */
const PKEY = 'sandbox-useepay-pkey-5d0b72';
const MERCHANT_NO = '500000000007264';

type Body = Record<string, string>;

/** UseePay MD5 as its SDKs build it: sorted non-empty params, `sign` left out, `&pkey=` appended. */
function useepayMd5(params: Body): string {
  const text = Object.keys(params)
    .filter((key) => key !== 'sign' && params[key] !== '')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
  return createHash('md5').update(`${text}&pkey=${PKEY}`, 'utf8').digest('hex');
}

/** The create call exactly as the widget makes it. */
async function pay(
  request: APIRequestContext,
  orderId: string,
  type: ClientType,
  idempotencyKey?: string,
): Promise<Body> {
  const answer = await useepay.pay(request, {
    orderId,
    method: 'alipay',
    client: { type, os: type === 'pc' ? 'other' : 'ios', inApp: null },
    returnUrl: `${SHOP}/api/return?orderId=${orderId}`,
    idempotencyKey,
  });
  return answer.response as Body;
}

async function expectStatus(request: APIRequestContext, orderId: string, expected: Record<string, string>) {
  await expect.poll(() => orderStatus(request, orderId), { timeout: 10_000 }).toEqual(expected);
}

test('every scenario the gallery offers classifies to the kind it expects', async ({ page, request }) => {
  await openMerchant(page);
  const catalogue = (await (await request.get('/api/sandbox')).json()) as {
    gateways: { id: string; scenarios: { id: string; expect: string }[] }[];
  };
  const scenarios = catalogue.gateways.find((g) => g.id === 'useepay')?.scenarios ?? [];
  expect(scenarios.map((s) => s.id)).toEqual([
    'auto',
    'qr',
    'redirect',
    'both',
    'pending',
    'challenge-post',
    'challenge-get',
    'received',
    'succeed',
    'failed-risk',
    'failed-param',
    'bad-sign',
    'closed',
    'cancelled',
  ]);
  for (const scenario of scenarios) {
    for (const type of ['pc', 'mobile'] as const) {
      const orderId = await newOrder(request, scenario.id);
      const response = await pay(request, orderId, type);
      const action = await classify(page, response);
      const expected = scenario.id === 'auto' ? (type === 'pc' ? 'qr' : 'redirect') : scenario.expect;
      expect(action.kind, `${scenario.id} on ${type}`).toBe(expected);
      // Every answer is signed as UseePay signs it.
      expect(response.sign).toBe(useepayMd5(response));
    }
  }
});

test('the answers carry the documented fields and codes', async ({ page, request }) => {
  await openMerchant(page);
  const answer = async (scenario: string, type: ClientType = 'pc') =>
    pay(request, await newOrder(request, scenario), type);

  const web = await answer('qr');
  expect(Object.keys(web)).toEqual([
    'codeUrl',
    'amount',
    'resultCode',
    'sign',
    'errorCode',
    'transactionId',
    'errorMsg',
    'transactionType',
    'reference',
    'echoParam',
    'signType',
    'currency',
    'merchantNo',
  ]);
  expect(web).toMatchObject({ resultCode: 'pending', errorCode: '3200', amount: '9900', signType: 'MD5' });

  const both = await answer('both');
  expect(both.codeUrl).toContain('/gw/useepay/qr/');
  expect(await classify(page, both)).toMatchObject({ kind: 'redirect', url: both.redirectUrl });

  expect(await classify(page, await answer('pending'))).toMatchObject({ kind: 'pending' });
  expect(await classify(page, await answer('received'))).toMatchObject({ kind: 'pending' });
  expect(await classify(page, await answer('succeed'))).toMatchObject({ kind: 'success' });
  expect(await classify(page, await answer('failed-risk'))).toMatchObject({
    kind: 'failed',
    code: '0053',
    message: 'Payment failed, blocked by payment company risk control system',
  });
  const param = await answer('failed-param');
  expect(param.reference).toBeUndefined();
  expect(await classify(page, param)).toMatchObject({
    kind: 'failed',
    code: '1001',
    message: 'Invalid parameter: transactionExpirationTime must be between 1 and 10 minutes',
  });
  expect(await classify(page, await answer('bad-sign'))).toMatchObject({
    kind: 'failed',
    code: '1001',
    message: 'Invalid parameter: sign does not match the parameters',
  });
  expect(await classify(page, await answer('closed'))).toMatchObject({
    kind: 'failed',
    code: 'closed',
    message: 'Transaction is expired',
  });
  expect(await classify(page, await answer('cancelled'))).toMatchObject({ kind: 'failed', code: 'cancelled' });
});

test('WEB: the codeUrl QR, scanned, pays the order', async ({ page, request }) => {
  await openMerchant(page);
  const orderId = await newOrder(request, 'auto');
  const response = await pay(request, orderId, 'pc');
  const action = await classify(page, response);
  expect(action).toMatchObject({ kind: 'qr', content: response.codeUrl, reference: response.reference });
  expect(await orderStatus(request, orderId)).toEqual({ status: 'pending' });

  const scan = await request.post('/gw/useepay/scan', { form: { content: String(action.content) } });
  expect(await scan.json()).toEqual({ paid: response.reference });
  await expectStatus(request, orderId, { status: 'paid' });
  const unknown = await request.post('/gw/useepay/scan', { form: { content: `${action.content}9` } });
  expect(unknown.status()).toBe(404);
});

test('WAP: the Alipay cashier, Pay, back on the return page, paid', async ({ page, request }) => {
  await openMerchant(page);
  const orderId = await newOrder(request, 'auto');
  const response = await pay(request, orderId, 'mobile');
  const action = await classify(page, response);
  expect(action).toMatchObject({ kind: 'redirect', url: response.redirectUrl });

  await page.goto(String(action.url));
  await expect(page.getByText('CNY 99.00')).toBeVisible();
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.waitForURL(`**/return.html?orderId=${orderId}`);
  await expectStatus(request, orderId, { status: 'paid' });
});

test('POST challenge: the form reaches the challenge page with every field; Pay pays', async ({ page, request }) => {
  await openMerchant(page);
  const orderId = await newOrder(request, 'challenge-post');
  const response = await pay(request, orderId, 'pc');
  expect(response).toMatchObject({ resultCode: 'challenge', redirectMethod: 'POST', errorCode: '3200' });
  const issued = JSON.parse(response.redirectParam ?? '') as Body;
  expect(Object.keys(issued)).toEqual(['PaReq', 'MD', 'TermUrl']);
  expect(issued.PaReq).toMatch(/\+.*\/.*=$/);
  const action = await classify(page, response);
  expect(action).toMatchObject({ kind: 'form', method: 'POST', action: response.redirectUrl, fields: issued });

  await submitForm(page, action);
  await expect(page.getByRole('heading', { name: 'Confirm your payment' })).toBeVisible();
  for (const [name, value] of Object.entries(issued)) {
    await expect(page.locator(`dt:text-is("Field ${name}") + dd`)).toHaveText(value);
  }
  await expect(page.getByText('3 of 3 fields as issued')).toBeVisible();
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.waitForURL(`**/return.html?orderId=${orderId}`);
  await expectStatus(request, orderId, { status: 'paid' });
});

test('POST challenge: a field altered on the way is refused', async ({ page, request }) => {
  await openMerchant(page);
  const response = await pay(request, await newOrder(request, 'challenge-post'), 'pc');
  const action = await classify(page, response);
  const fields = action.fields as Body;
  await submitForm(page, { ...action, fields: { ...fields, PaReq: `${fields.PaReq}x` } });
  await expect(page.getByRole('heading', { name: 'Challenge refused' })).toBeVisible();
  await expect(page.getByText('field PaReq is not as issued')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pay' })).toHaveCount(0);
});

test('GET challenge: params merged into the query reach the page intact; Pay pays', async ({ page, request }) => {
  await openMerchant(page);
  const orderId = await newOrder(request, 'challenge-get');
  const response = await pay(request, orderId, 'mobile');
  const issued = JSON.parse(response.redirectParam ?? '') as Body;
  const action = await classify(page, response);
  expect(action.kind).toBe('redirect');
  const url = new URL(String(action.url));
  expect(String(action.url).startsWith(String(response.redirectUrl))).toBe(true);
  for (const [name, value] of Object.entries(issued)) expect(url.searchParams.get(name)).toBe(value);

  await page.goto(String(action.url));
  await expect(page.getByText('3 of 3 fields as issued')).toBeVisible();
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.waitForURL(`**/return.html?orderId=${orderId}`);
  await expectStatus(request, orderId, { status: 'paid' });
});

test('a failed payment ends failed with its code', async ({ page, request }) => {
  await openMerchant(page);
  const risk = 'Payment failed, blocked by payment company risk control system';

  // Failed at once: the answer and the notify agree.
  const direct = await newOrder(request, 'failed-risk');
  expect(await classify(page, await pay(request, direct, 'pc'))).toMatchObject({ kind: 'failed', code: '0053' });
  await expectStatus(request, direct, { status: 'failed', code: '0053', message: risk });

  // Failed at the cashier.
  const atCashier = await newOrder(request, 'redirect');
  const action = await classify(page, await pay(request, atCashier, 'mobile'));
  await page.goto(String(action.url));
  await page.getByRole('button', { name: 'Fail' }).click();
  await page.waitForURL(`**/return.html?orderId=${atCashier}`);
  await expectStatus(request, atCashier, { status: 'failed', code: '0053', message: risk });

  // A refused request creates no payment: nothing is notified and the order can be paid again.
  const refused = await newOrder(request, 'bad-sign');
  expect(await classify(page, await pay(request, refused, 'pc'))).toMatchObject({ kind: 'failed', code: '1001' });
  await page.waitForTimeout(1_000);
  expect(await orderStatus(request, refused)).toEqual({ status: 'pending' });
});

test('closed, cancelled and the shopper cancelling end as the backend reports them', async ({ page, request }) => {
  await openMerchant(page);
  const closed = await newOrder(request, 'closed');
  await pay(request, closed, 'pc');
  await expectStatus(request, closed, { status: 'expired', code: '3300', message: 'Transaction is expired' });

  const cancelled = await newOrder(request, 'cancelled');
  await pay(request, cancelled, 'pc');
  await expectStatus(request, cancelled, { status: 'canceled', message: 'Transaction is cancelled' });

  const atCashier = await newOrder(request, 'redirect');
  const action = await classify(page, await pay(request, atCashier, 'mobile'));
  await page.goto(String(action.url));
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForURL(`**/return.html?orderId=${atCashier}`);
  await expectStatus(request, atCashier, { status: 'canceled', message: 'Transaction is cancelled' });
});

test('pending, received and succeed answers are settled by the notify that follows', async ({ request }) => {
  for (const scenario of ['pending', 'received', 'succeed']) {
    const orderId = await newOrder(request, scenario);
    await pay(request, orderId, 'pc');
    await expectStatus(request, orderId, { status: 'paid' });
  }
});

test('a tampered notify leaves the order unpaid; the genuine one pays it', async ({ request }) => {
  const orderId = await newOrder(request, 'qr');
  const response = await pay(request, orderId, 'pc');
  const notify: Body = {
    version: '1.0',
    merchantNo: MERCHANT_NO,
    transactionId: String(response.transactionId),
    reference: String(response.reference),
    transactionType: 'pay',
    amount: '9900',
    currency: 'CNY',
    resultCode: 'succeed',
    errorCode: '0000',
    errorMsg: 'Successful payment',
    echoParam: orderId,
    signType: 'MD5',
  };
  const send = (body: Body) => request.post('/api/notify/useepay', { form: body });

  // Signed, then the amount changed on the way.
  const tampered = await send({ ...notify, sign: useepayMd5(notify), amount: '1' });
  expect(tampered.status()).toBe(400);
  // No signature at all, and a signature from another key.
  expect((await send(notify)).status()).toBe(400);
  const otherKey = createHash('md5').update('amount=9900&pkey=guess').digest('hex');
  expect((await send({ ...notify, sign: otherKey })).status()).toBe(400);
  // Correctly signed, but not the order's amount.
  const cheap = { ...notify, amount: '1' };
  expect((await send({ ...cheap, sign: useepayMd5(cheap) })).status()).toBe(400);
  expect(await orderStatus(request, orderId)).toEqual({ status: 'pending' });

  const genuine = await send({ ...notify, sign: useepayMd5(notify) });
  expect(genuine.status()).toBe(200);
  expect(await genuine.text()).toBe('OK');
  expect(await orderStatus(request, orderId)).toEqual({ status: 'paid' });
});

test('a repeated create with the same idempotency key returns the same payment', async ({ request }) => {
  const orderId = await newOrder(request, 'qr');
  const first = await pay(request, orderId, 'pc', 'same-key');
  const again = await pay(request, orderId, 'pc', 'same-key');
  expect(again).toEqual(first);
  const order = (await (await request.get(`/api/orders/${orderId}`)).json()) as { attempts: string[]; creates: number };
  expect(order.attempts).toEqual([first.reference]);
  expect(order.creates).toBe(2);

  const fresh = await pay(request, orderId, 'pc', 'another-key');
  expect(fresh.reference).not.toBe(first.reference);
  expect(fresh.transactionId).not.toBe(first.transactionId);
});
