/**
 * The Alipay+ wallet simulator of the sandbox, end to end against the production preview: every
 * scenario classifies to the kind it promises, the shopper's pages settle the order through the
 * signed notify, U payments settle by themselves, the wallet is idempotent on paymentRequestId,
 * and a notify without the wallet's signature changes nothing.
 */
import { createSign, createVerify, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import type { APIRequestContext, APIResponse, Page } from '@playwright/test';
import { type Answer, type ClientType, createPayment, openMerchant, orderStatus, sandbox } from './merchant-page.js';
import { expect, test } from './strict-csp.js';

const { newOrder } = sandbox('alipayplus');
const PAY_PATH = '/gw/alipayplus/v1/payments/pay';
/** The sandbox merchant's Client-Id: a forged notify names it to get past the client check. */
const MERCHANT_CLIENT_ID = 'SANDBOX_5Y0A1P0000000001';

const FAILED: Record<string, string> = {
  'fail-balance': 'USER_BALANCE_NOT_ENOUGH',
  'fail-risk': 'RISK_REJECT',
  'fail-amount-limit': 'PAYMENT_AMOUNT_EXCEED_LIMIT',
  'fail-user-limit': 'USER_AMOUNT_EXCEED_LIMIT',
  'fail-user-status': 'USER_STATUS_ABNORMAL',
  'fail-user-missing': 'USER_NOT_EXIST',
  'fail-currency': 'CURRENCY_NOT_SUPPORT',
  'fail-process': 'PROCESS_FAIL',
};
const KINDS: Record<string, string> = {
  redirection: 'redirect',
  'order-code': 'qr',
  success: 'success',
  'unknown-exception': 'pending',
  'in-process': 'pending',
  'traffic-limit': 'pending',
  ...Object.fromEntries(Object.keys(FAILED).map((id) => [id, 'failed'])),
};

interface Action {
  kind: string;
  url?: string;
  content?: string;
  code?: string;
  message?: string;
  reference?: string;
}

/** The create call exactly as the widget makes it. */
async function pay(
  request: APIRequestContext,
  baseURL: string,
  orderId: string,
  options: { type?: ClientType; os?: string; key?: string } = {},
): Promise<{ gateway: string; response: Record<string, unknown> }> {
  const answer = await createPayment(request, {
    orderId,
    method: 'alipay',
    client: { type: options.type ?? 'pc', os: options.os ?? 'other', inApp: null },
    returnUrl: `${baseURL}/return.html`,
    idempotencyKey: options.key,
  });
  return answer as { gateway: string; response: Record<string, unknown> };
}

/** A blank page on the sandbox's origin with the script-tag build loaded. */
const openClassifier = (page: Page, baseURL: string) =>
  openMerchant(page, { origin: baseURL, path: '/__alipayplus-spec/' });

/** Classified as the gateway the backend named. */
const classify = (page: Page, answer: Answer) => sandbox(answer.gateway).classify<Action>(page, answer.response);

// The Alipay+ signature scheme, as an outside client (the tests) computes it.
function rsaSign(content: string, key: KeyObject): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(key, 'base64');
}

function signedHeaders(uri: string, clientId: string, body: string, key: KeyObject): Record<string, string> {
  const time = new Date().toISOString();
  const signature = rsaSign(`POST ${uri}\n${clientId}.${time}.${body}`, key);
  return {
    'content-type': 'application/json; charset=UTF-8',
    'client-id': clientId,
    'request-time': time,
    signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(signature)}`,
  };
}

async function verifiedBody(response: APIResponse, walletPublicKey: string): Promise<Record<string, unknown>> {
  const body = await response.text();
  const headers = response.headers();
  const signature = decodeURIComponent(/signature=([^,]+)/.exec(headers.signature ?? '')?.[1] ?? '');
  const content = `POST ${PAY_PATH}\n${headers['client-id']}.${headers['response-time']}.${body}`;
  expect(createVerify('RSA-SHA256').update(content, 'utf8').verify(walletPublicKey, signature, 'base64')).toBe(true);
  return JSON.parse(body) as Record<string, unknown>;
}

test('every scenario classifies to the kind it promises', async ({ page, request, baseURL }) => {
  const base = baseURL ?? '';
  const sandbox = (await (await request.get('/api/sandbox')).json()) as {
    gateways: { id: string; scenarios: { id: string }[] }[];
  };
  const ids = sandbox.gateways.find((g) => g.id === 'alipayplus')?.scenarios.map((s) => s.id) ?? [];
  expect(ids.sort()).toEqual(['auto', ...Object.keys(KINDS)].sort());

  await openClassifier(page, base);
  for (const [scenario, kind] of Object.entries(KINDS)) {
    const action = await classify(page, await pay(request, base, await newOrder(request, scenario)));
    expect(action.kind, scenario).toBe(kind);
    if (kind === 'failed') {
      expect(action.code, scenario).toBe(FAILED[scenario]);
      expect(action.message, scenario).toBeTruthy();
    }
    if (kind === 'redirect') expect(action.url).toMatch(new RegExp(`^${base}/gw/alipayplus/cashier/\\d+$`));
    if (kind === 'qr') expect(action.content).toMatch(new RegExp(`^${base}/gw/alipayplus/code/\\d+$`));
  }
  // auto: a desktop browser gets a code to scan, a phone the cashier page.
  const desktop = await classify(page, await pay(request, base, await newOrder(request, 'auto'), { type: 'pc' }));
  expect(desktop.kind).toBe('qr');
  const phone = await pay(request, base, await newOrder(request, 'auto'), { type: 'mobile', os: 'android' });
  expect((await classify(page, phone)).kind).toBe('redirect');
});

test('REDIRECTION: cashier, Pay, back on the return page, paid', async ({ page, request, baseURL }) => {
  const base = baseURL ?? '';
  const orderId = await newOrder(request, 'redirection');
  const answer = await pay(request, base, orderId, { type: 'mobile', os: 'ios' });
  await openClassifier(page, base);
  const action = await classify(page, answer);
  expect(action.kind).toBe('redirect');

  await page.goto(action.url ?? '');
  await expect(page.getByText('CNY 99.00')).toBeVisible();
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.waitForURL(`${base}/return.html?orderId=${orderId}`);
  expect(await orderStatus(request, orderId)).toEqual({ status: 'paid' });
  await expect(page.locator('cashdesk-checkout').getByText('Payment received. Thank you!').first()).toBeVisible({
    timeout: 15_000,
  });
  // The payment is closed: the cashier no longer offers it.
  expect((await request.get(action.url ?? '')).status()).toBe(409);
});

test('REDIRECTION: Fail marks the order failed with the code, Cancel marks it canceled', async ({
  page,
  request,
  baseURL,
}) => {
  const base = baseURL ?? '';
  for (const [button, expected] of [
    ['Fail', { status: 'failed', code: 'USER_BALANCE_NOT_ENOUGH' }],
    ['Cancel', { status: 'canceled' }],
  ] as const) {
    const orderId = await newOrder(request, 'redirection');
    const { response } = await pay(request, base, orderId);
    await page.goto(String((response.actionForm as { redirectionUrl: string }).redirectionUrl));
    await page.getByRole('button', { name: button }).click();
    await page.waitForURL(`${base}/return.html?orderId=${orderId}`);
    expect(await orderStatus(request, orderId)).toMatchObject(expected);
  }
});

/** On the simulated wallet's cashier page, the shopper presses `button` and is sent back to `returnUrl`. */
async function decide(
  page: Page,
  cashierUrl: string,
  button: 'Pay' | 'Fail' | 'Cancel',
  returnUrl: string,
): Promise<void> {
  await page.goto(cashierUrl);
  await page.getByRole('button', { name: button }).click();
  await page.waitForURL(returnUrl);
}

test('a new attempt: the earlier payment failing later does not fail the order, the new one pays it', async ({
  page,
  request,
  baseURL,
}) => {
  const base = baseURL ?? '';
  const orderId = await newOrder(request, 'redirection');
  // The shopper opened the cashier, came back and paid again: a new attempt, a new key.
  const first = await pay(request, base, orderId, { key: randomUUID() });
  const second = await pay(request, base, orderId, { key: randomUUID() });
  const cashier = (answer: typeof first) =>
    String((answer.response.actionForm as { redirectionUrl: string }).redirectionUrl);
  expect(cashier(second)).not.toBe(cashier(first));

  // The first payment fails now (its FAIL notify is signed and for the order's amount).
  await decide(page, cashier(first), 'Fail', `${base}/return.html?orderId=${orderId}`);
  expect(await orderStatus(request, orderId)).toEqual({ status: 'pending' });

  await decide(page, cashier(second), 'Pay', `${base}/return.html?orderId=${orderId}`);
  expect(await orderStatus(request, orderId)).toEqual({ status: 'paid' });
});

test('back to a method tried before (its key again): that payment is the latest, the other one failing is not the order', async ({
  page,
  request,
  baseURL,
}) => {
  const base = baseURL ?? '';
  const orderId = await newOrder(request, 'redirection');
  const firstKey = randomUUID();
  const first = await pay(request, base, orderId, { key: firstKey });
  const second = await pay(request, base, orderId, { key: randomUUID() });
  const again = await pay(request, base, orderId, { key: firstKey });
  const cashier = (answer: typeof first) =>
    String((answer.response.actionForm as { redirectionUrl: string }).redirectionUrl);
  expect(cashier(again)).toBe(cashier(first));

  // The abandoned second payment fails: the shopper is paying the first one.
  await decide(page, cashier(second), 'Fail', `${base}/return.html?orderId=${orderId}`);
  expect(await orderStatus(request, orderId)).toEqual({ status: 'pending' });

  await decide(page, cashier(first), 'Pay', `${base}/return.html?orderId=${orderId}`);
  expect(await orderStatus(request, orderId)).toEqual({ status: 'paid' });
});

test("a return URL on another host is not the gateway's: the shopper comes back to the shop", async ({
  page,
  request,
  baseURL,
}) => {
  const base = baseURL ?? '';
  const orderId = await newOrder(request, 'redirection');
  await page.route('https://evil.example/**', (route) => route.abort('blockedbyclient'));
  const answer = (await createPayment(request, {
    orderId,
    method: 'alipay',
    client: { type: 'pc', os: 'other', inApp: null },
    returnUrl: 'https://evil.example/steal',
  })) as { response: { actionForm: { redirectionUrl: string } } };
  await decide(page, answer.response.actionForm.redirectionUrl, 'Pay', `${base}/return.html?orderId=${orderId}`);
  expect(await orderStatus(request, orderId)).toEqual({ status: 'paid' });
});

test('ORDER_CODE: the scanned code pays the order once', async ({ page, request, baseURL }) => {
  const base = baseURL ?? '';
  const orderId = await newOrder(request, 'order-code');
  await openClassifier(page, base);
  const action = await classify(page, await pay(request, base, orderId));
  expect(action.kind).toBe('qr');
  expect(await orderStatus(request, orderId)).toEqual({ status: 'pending' });

  const scan = await request.post('/gw/alipayplus/scan', { form: { content: action.content ?? '' } });
  expect(scan.status()).toBe(200);
  expect(await orderStatus(request, orderId)).toEqual({ status: 'paid' });
  expect((await request.post('/gw/alipayplus/scan', { form: { content: action.content ?? '' } })).status()).toBe(409);
});

test('S SUCCESS: the notify follows and the status says paid', async ({ page, request, baseURL }) => {
  const base = baseURL ?? '';
  const orderId = await newOrder(request, 'success');
  await openClassifier(page, base);
  expect((await classify(page, await pay(request, base, orderId))).kind).toBe('success');
  await expect.poll(async () => (await orderStatus(request, orderId)).status, { timeout: 5_000 }).toBe('paid');
});

for (const scenario of ['unknown-exception', 'in-process']) {
  test(`U ${scenario}: pending at first, paid a few seconds later`, async ({ page, request, baseURL }) => {
    const base = baseURL ?? '';
    const orderId = await newOrder(request, scenario);
    await openClassifier(page, base);
    expect((await classify(page, await pay(request, base, orderId))).kind).toBe('pending');
    expect(await orderStatus(request, orderId)).toEqual({ status: 'pending' });
    await expect
      .poll(async () => (await orderStatus(request, orderId)).status, { timeout: 10_000, intervals: [500] })
      .toBe('paid');
  });
}

test('a retried create with the same idempotency key is the same payment', async ({ request, baseURL }) => {
  const base = baseURL ?? '';
  const orderId = await newOrder(request, 'redirection');
  const key = randomUUID();
  const first = await pay(request, base, orderId, { key });
  const again = await pay(request, base, orderId, { key });
  expect(again).toEqual(first);
  expect(first.response.paymentId).toMatch(/^\d+$/);
  const order = (await (await request.get(`/api/orders/${orderId}`)).json()) as { attempts: string[]; creates: number };
  expect(order).toMatchObject({ attempts: [first.response.paymentId], creates: 2 });
  // A new attempt (a new key) is a new payment.
  const other = await pay(request, base, orderId);
  expect(other.response.paymentId).not.toBe(first.response.paymentId);
});

test('the wallet checks signatures and is idempotent on paymentRequestId', async ({ request, baseURL }) => {
  const base = baseURL ?? '';
  // A client of our own, registered the way the portal does it: upload a public key.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const registered = await request.post('/gw/alipayplus/portal/clients', {
    data: { publicKey: publicKey.export({ type: 'spki', format: 'pem' }) },
  });
  expect(registered.status()).toBe(201);
  const { clientId, partnerId, walletPublicKey } = (await registered.json()) as Record<string, string>;
  const call = (body: object, options: { clientId?: string; key?: KeyObject; tamper?: boolean } = {}) => {
    const text = JSON.stringify(body);
    const headers = signedHeaders(PAY_PATH, options.clientId ?? clientId ?? '', text, options.key ?? privateKey);
    return request.post(PAY_PATH, { headers, data: options.tamper ? text.replace('9900', '9901') : text });
  };
  // The scenario is the gallery's choice on the board, found by the paymentRequestId's order id.
  const paymentRequestId = `${await newOrder(request, 'redirection')}-${randomUUID()}`;
  const body = {
    partnerId,
    paymentRequestId,
    paymentOrderTitle: 'E2E order',
    paymentAmount: { currency: 'USD', value: '9900' },
    paymentFactor: { isCashierPayment: true },
    paymentReturnUrl: `${base}/return.html`,
    envInfo: { terminalType: 'WAP', osType: 'IOS' },
  };

  const first = await verifiedBody(await call(body), walletPublicKey ?? '');
  expect(first).toMatchObject({ result: { resultStatus: 'A', resultCode: 'ACCEPT' } });
  const same = await verifiedBody(await call(body), walletPublicKey ?? '');
  expect(same).toEqual(first);

  const changed = await verifiedBody(
    await call({ ...body, paymentAmount: { currency: 'USD', value: '100' } }),
    walletPublicKey ?? '',
  );
  expect(changed).toEqual({
    result: {
      resultStatus: 'F',
      resultCode: 'REPEAT_REQ_INCONSISTENT',
      resultMessage: 'Repeated submit, and requests are inconsistent.',
    },
  });

  const altered = await verifiedBody(await call(body, { tamper: true }), walletPublicKey ?? '');
  expect(altered.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' });
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const wrongKey = await verifiedBody(await call(body, { key: otherKey }), walletPublicKey ?? '');
  expect(wrongKey.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' });
  const stranger = await verifiedBody(await call(body, { clientId: 'SANDBOX_NOBODY' }), walletPublicKey ?? '');
  expect(stranger.result).toMatchObject({ resultStatus: 'F', resultCode: 'ACCESS_DENIED' });

  // A final F is repeated as it was.
  const failing = { ...body, paymentRequestId: `${await newOrder(request, 'fail-risk')}-${randomUUID()}` };
  const refused = await verifiedBody(await call(failing), walletPublicKey ?? '');
  expect(refused.result).toMatchObject({ resultStatus: 'F', resultCode: 'RISK_REJECT' });
  expect(await verifiedBody(await call(failing), walletPublicKey ?? '')).toEqual(refused);
});

test('a notify without the wallet signature leaves the order unpaid', async ({ page, request, baseURL }) => {
  const base = baseURL ?? '';
  const orderId = await newOrder(request, 'redirection');
  const { response } = await pay(request, base, orderId);
  const body = JSON.stringify({
    paymentRequestId: `${orderId}-forged`,
    paymentId: response.paymentId,
    paymentAmount: { currency: 'CNY', value: '9900' },
    paymentStatus: 'SUCCESS',
    paymentTime: new Date().toISOString(),
    result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' },
  });
  const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const forged = signedHeaders('/api/notify/alipayplus', MERCHANT_CLIENT_ID, body, attacker);
  const { signature: _none, ...unsigned } = forged;
  for (const headers of [forged, unsigned, { ...forged, signature: 'algorithm=RSA256,keyVersion=1,signature=AAAA' }]) {
    const answer = await request.post('/api/notify/alipayplus', { headers, data: body });
    expect(answer.status()).toBe(401);
    expect(((await answer.json()) as { result: { resultCode: string } }).result.resultCode).toBe('INVALID_SIGNATURE');
    expect(await orderStatus(request, orderId)).toEqual({ status: 'pending' });
  }
  // The order is unharmed: the real payment still goes through.
  await page.goto(String((response.actionForm as { redirectionUrl: string }).redirectionUrl));
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.waitForURL(`${base}/return.html?orderId=${orderId}`);
  expect(await orderStatus(request, orderId)).toEqual({ status: 'paid' });
});
