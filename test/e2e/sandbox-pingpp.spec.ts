/**
 * The Ping++ simulator (seed 000) against the production preview: every scenario's `user/v2/pay`
 * envelope classifies with the script-tag build to the kind the gallery expects; the shopper's pages
 * (Alipay cashier, wx.tenpay.com H5 page, UnionPay front transaction, Alipay QR phone page), the scan
 * endpoint and the WeChat bridge confirm end in a verified `charge.succeeded` webhook; a webhook
 * whose body was changed under its old signature changes nothing.
 */
import type { APIRequestContext } from '@playwright/test';
import {
  type Action,
  type ClientType,
  MERCHANT,
  openMerchant,
  SHOP,
  sandbox,
  statusOf,
  submitForm,
} from './merchant-page.js';
import { expect, test } from './strict-csp.js';

const pingpp = sandbox('pingpp');
const { newOrder, classify } = pingpp;

type Json = Record<string, unknown>;

interface Envelope {
  code: number;
  message: string;
  data: { payContent: string } | null;
  page: null;
  foot: Json;
}

/** The create call exactly as the widget makes it. */
async function pay(
  request: APIRequestContext,
  orderId: string,
  method: string,
  type: ClientType,
  options: { inApp?: string | null; idempotencyKey?: string } = {},
): Promise<Envelope> {
  const answer = await pingpp.pay(request, {
    orderId,
    method,
    client: { type, os: type === 'pc' ? 'other' : 'ios', inApp: options.inApp ?? null },
    returnUrl: `${SHOP}/api/return?orderId=${orderId}`,
    idempotencyKey: options.idempotencyKey,
  });
  return answer.response as Envelope;
}

function chargeOf(envelope: Envelope): Json {
  expect(envelope.code).toBe(200);
  expect(typeof envelope.data?.payContent).toBe('string');
  return JSON.parse(envelope.data?.payContent ?? '{}') as Json;
}

async function expectPaid(request: APIRequestContext, orderId: string): Promise<void> {
  await expect.poll(() => statusOf(request, orderId)).toBe('paid');
}

async function scan(request: APIRequestContext, content: string) {
  return request.post('/gw/pingpp/scan', { form: { content } });
}

interface Case {
  scenario: string;
  method: string;
  type: ClientType;
  inApp?: string;
  /** The Ping++ channel of the charge (as spelled in payContent). */
  channel?: string;
  expected: Action;
}

const CASES: Case[] = [
  // auto: the channel follows the method and the shopper's environment.
  { scenario: 'auto', method: 'alipay', type: 'pc', channel: 'alipay_pc_direct', expected: { kind: 'redirect' } },
  { scenario: 'auto', method: 'alipay', type: 'mobile', channel: 'alipay_wap', expected: { kind: 'redirect' } },
  { scenario: 'auto', method: 'alipay', type: 'wechat', channel: 'alipay_wap', expected: { kind: 'redirect' } },
  {
    scenario: 'auto',
    method: 'alipay',
    type: 'mobile',
    inApp: 'webview',
    channel: 'alipay',
    expected: { kind: 'sdk-token', sdk: 'alipay' },
  },
  { scenario: 'auto', method: 'wxpay', type: 'pc', channel: 'wx_pub_qr', expected: { kind: 'qr' } },
  { scenario: 'auto', method: 'wxpay', type: 'mobile', channel: 'wx_wap', expected: { kind: 'redirect' } },
  { scenario: 'auto', method: 'wxpay', type: 'wechat', channel: 'wx_pub', expected: { kind: 'wechat-jsapi' } },
  {
    scenario: 'auto',
    method: 'wxpay',
    type: 'mobile',
    inApp: 'webview',
    channel: 'wx',
    expected: { kind: 'sdk-token', sdk: 'wechat' },
  },
  { scenario: 'auto', method: 'unionpay', type: 'pc', channel: 'upacp_pc', expected: { kind: 'form' } },
  { scenario: 'auto', method: 'unionpay', type: 'mobile', channel: 'upacp_wap', expected: { kind: 'form' } },
  // Named channels and variants.
  {
    scenario: 'alipay_pc_direct',
    method: 'alipay',
    type: 'pc',
    channel: 'alipay_pc_direct',
    expected: { kind: 'redirect' },
  },
  {
    scenario: 'alipay_pc_direct-openapi',
    method: 'alipay',
    type: 'pc',
    channel: 'alipay_pc_direct',
    expected: { kind: 'redirect' },
  },
  { scenario: 'alipay_wap', method: 'alipay', type: 'mobile', channel: 'alipay_wap', expected: { kind: 'redirect' } },
  {
    scenario: 'alipay_wap-openapi',
    method: 'alipay',
    type: 'mobile',
    channel: 'alipay_wap',
    expected: { kind: 'redirect' },
  },
  {
    scenario: 'alipay_wap-legacy',
    method: 'alipay',
    type: 'mobile',
    channel: 'alipay_wap',
    expected: { kind: 'redirect' },
  },
  { scenario: 'alipay_qr', method: 'alipay', type: 'pc', channel: 'alipay_qr', expected: { kind: 'qr' } },
  {
    scenario: 'alipay',
    method: 'alipay',
    type: 'mobile',
    channel: 'alipay',
    expected: { kind: 'sdk-token', sdk: 'alipay' },
  },
  { scenario: 'wx_pub', method: 'wxpay', type: 'wechat', channel: 'wx_pub', expected: { kind: 'wechat-jsapi' } },
  { scenario: 'wxpub', method: 'wxpay', type: 'wechat', channel: 'wxpub', expected: { kind: 'wechat-jsapi' } },
  { scenario: 'wx_pub_qr', method: 'wxpay', type: 'pc', channel: 'wx_pub_qr', expected: { kind: 'qr' } },
  { scenario: 'wx_wap', method: 'wxpay', type: 'mobile', channel: 'wx_wap', expected: { kind: 'redirect' } },
  { scenario: 'wx_wap-object', method: 'wxpay', type: 'mobile', channel: 'wx_wap', expected: { kind: 'redirect' } },
  { scenario: 'wx', method: 'wxpay', type: 'mobile', channel: 'wx', expected: { kind: 'sdk-token', sdk: 'wechat' } },
  {
    scenario: 'wx_lite',
    method: 'wxpay',
    type: 'wechat',
    channel: 'wx_lite',
    expected: { kind: 'mini-program', platform: 'wechat' },
  },
  {
    scenario: 'alipay_lite',
    method: 'alipay',
    type: 'alipay',
    channel: 'alipay_lite',
    expected: { kind: 'mini-program', platform: 'alipay' },
  },
  { scenario: 'upacp_wap', method: 'unionpay', type: 'mobile', channel: 'upacp_wap', expected: { kind: 'form' } },
  { scenario: 'upacp_pc', method: 'unionpay', type: 'pc', channel: 'upacp_pc', expected: { kind: 'form' } },
  { scenario: 'balance', method: 'alipay', type: 'pc', channel: 'balance', expected: { kind: 'success' } },
  {
    scenario: 'charge-failed',
    method: 'wxpay',
    type: 'pc',
    channel: 'wx_pub_qr',
    expected: { kind: 'failed', code: 'ORDERPAID', message: '商户订单已支付' },
  },
  {
    scenario: 'charge-failed',
    method: 'alipay',
    type: 'mobile',
    channel: 'alipay_wap',
    expected: { kind: 'failed', code: 'ACQ.TRADE_HAS_SUCCESS', message: '交易已被支付' },
  },
  {
    scenario: 'channel-error',
    method: 'wxpay',
    type: 'pc',
    expected: { kind: 'failed', code: '400', message: '商户无此接口权限' },
  },
  { scenario: 'bad-key', method: 'alipay', type: 'pc', expected: { kind: 'failed', code: '401' } },
];

test.describe('every scenario classifies to the kind the gallery expects', () => {
  for (const c of CASES) {
    const name = `${c.scenario} (${c.method}, ${c.type}${c.inApp ? `, ${c.inApp}` : ''})`;
    test(name, async ({ page, request }) => {
      await openMerchant(page);
      const orderId = await newOrder(request, c.scenario);
      const envelope = await pay(request, orderId, c.method, c.type, { inApp: c.inApp ?? null });
      // The seed's envelope around the charge.
      expect(envelope).toMatchObject({ page: null, foot: { servicePhone: '400800400', host: 'localhost' } });
      if (c.channel) {
        expect(envelope).toMatchObject({ code: 200, message: '成功' });
        const charge = chargeOf(envelope);
        expect(charge.channel).toBe(c.channel);
        expect(charge.livemode).toBe(false);
        expect(charge.amount).toBe(9900);
        // Seed style (camelCase) for `wxpub`, Ping++'s snake_case wire format otherwise.
        expect(charge[c.scenario === 'wxpub' ? 'orderNo' : 'order_no']).toMatch(new RegExp(`^${orderId}\\d{2}$`));
      } else {
        expect(envelope.code).not.toBe(200);
        expect(envelope.data).toBeNull();
      }
      const action = await classify(page, envelope);
      expect(action).toMatchObject({ ...c.expected, ...('error' in c.expected ? {} : { gateway: 'pingpp' }) });
      if (c.channel && !('error' in c.expected)) expect(action).toMatchObject({ testMode: true });

      // The credential shapes of GATEWAYS.md §1.3, as the browser receives them.
      const charge = c.channel ? chargeOf(envelope) : {};
      const credential = (charge.credential as Json | undefined)?.[String(c.channel)];
      if (c.channel === 'wx_pub_qr' && action.kind === 'qr') {
        expect(action.content).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=\w+$/);
      }
      if (c.channel === 'alipay_qr') expect(action.content).toMatch(new RegExp(`^${SHOP}/gw/pingpp/alipay/qr/`));
      if (c.channel === 'wx_wap') {
        expect(action.url).toMatch(new RegExp(`^${SHOP}/gw/pingpp/tenpay/cgi-bin/mmpayweb-bin/checkmweb\\?prepay_id=`));
        expect(typeof credential).toBe(c.scenario === 'wx_wap-object' ? 'object' : 'string');
      }
      if (c.channel?.startsWith('alipay_') && action.kind === 'redirect' && c.channel !== 'alipay_qr') {
        const url = new URL(String(action.url));
        if (c.scenario === 'alipay_wap-legacy') {
          expect(url.origin + url.pathname).toBe('https://wappaygw.alipay.com/service/rest.htm');
          expect(url.searchParams.get('_input_charset')).toBe('utf-8');
        } else {
          expect(url.origin + url.pathname).toBe(`${SHOP}/gw/pingpp/alipay/gateway.do`);
          expect(url.searchParams.get('sign_type')).toBe(c.scenario.endsWith('-openapi') ? 'RSA2' : 'RSA');
        }
      }
      if (action.kind === 'form') {
        // The browser adapter posts UnionPay forms to UnionPay's fixed host, never to the sandbox.
        expect(action).toMatchObject({
          action: 'https://gateway.95516.com/gateway/api/frontTransReq.do',
          method: 'POST',
          fields: { txnAmt: '9900', currencyCode: '156', channelType: c.channel === 'upacp_wap' ? '08' : '07' },
        });
      }
      if (c.channel === 'alipay') expect(action.token).toBe((credential as Json).orderInfo);
      if (c.channel === 'wx') expect(action.token).toEqual(credential);
    });
  }
});

test('a repeated create with the same idempotency key returns the same payment', async ({ request }) => {
  const orderId = await newOrder(request, 'wx_pub_qr');
  const first = await pay(request, orderId, 'wxpay', 'pc', { idempotencyKey: 'same-key-pingpp' });
  const again = await pay(request, orderId, 'wxpay', 'pc', { idempotencyKey: 'same-key-pingpp' });
  expect(again).toEqual(first);
  const order = (await (await request.get(`/api/orders/${orderId}`)).json()) as { attempts: string[]; creates: number };
  expect(order.attempts).toEqual([chargeOf(first).id]);
  expect(order.creates).toBe(2);
});

test.describe('Alipay redirects: cashier → Pay → return URL → paid', () => {
  for (const scenario of ['alipay_wap', 'alipay_wap-openapi', 'alipay_pc_direct', 'alipay_pc_direct-openapi']) {
    test(scenario, async ({ page, request }) => {
      await openMerchant(page);
      const orderId = await newOrder(request, scenario);
      const type = scenario.startsWith('alipay_wap') ? 'mobile' : 'pc';
      const action = await classify(page, await pay(request, orderId, 'alipay', type));
      expect(action.kind).toBe('redirect');
      await page.goto(String(action.url));
      await expect(page.getByRole('heading', { name: 'Sandbox order' })).toBeVisible();
      await expect(page.getByText('¥99.00')).toBeVisible();
      const returned = page.waitForRequest((r) => r.url().startsWith(`${SHOP}/api/return?`));
      await page.getByRole('button', { name: 'Pay', exact: true }).click();
      const back = new URL((await returned).url());
      expect(back.searchParams.get('orderId')).toBe(orderId);
      // Alipay's own (signed) return parameters ride along.
      expect(back.searchParams.get('sign')).toBeTruthy();
      if (scenario.endsWith('-openapi'))
        expect(back.searchParams.get('method')).toMatch(/^alipay\.trade\.\w+\.pay\.return$/);
      else expect(back.searchParams.get('trade_status')).toBe('TRADE_SUCCESS');
      await page.waitForURL(`**/return.html?orderId=${orderId}`);
      await expectPaid(request, orderId);
    });
  }

  test('the cashier refuses a query altered after signing (mapi and openapi)', async ({ page, request }) => {
    await openMerchant(page);
    const mapi = await classify(page, await pay(request, await newOrder(request, 'alipay_wap'), 'alipay', 'mobile'));
    const cheaper = String(mapi.url).replace('total_fee=99.00', 'total_fee=0.01');
    expect(cheaper).not.toBe(mapi.url);
    const refused = await page.goto(cheaper);
    expect(refused?.status()).toBe(400);
    await expect(page.getByText('ILLEGAL_SIGN')).toBeVisible();

    const openapi = await classify(
      page,
      await pay(request, await newOrder(request, 'alipay_wap-openapi'), 'alipay', 'mobile'),
    );
    const altered = String(openapi.url).replace(encodeURIComponent('"99.00"'), encodeURIComponent('"0.01"'));
    expect(altered).not.toBe(openapi.url);
    expect((await page.goto(altered))?.status()).toBe(400);
    await expect(page.getByText('invalid-signature')).toBeVisible();
  });

  test('Fail and Cancel leave the order pending (Ping++ sends no webhook for them)', async ({ page, request }) => {
    await openMerchant(page);
    const orderId = await newOrder(request, 'alipay_wap');
    const action = await classify(page, await pay(request, orderId, 'alipay', 'mobile'));
    await page.goto(String(action.url));
    await page.getByRole('button', { name: 'Fail' }).click();
    await expect(page.getByRole('heading', { name: '支付失败' })).toBeVisible();
    await page.goto(String(action.url));
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(`**/return.html?orderId=${orderId}`);
    expect(await statusOf(request, orderId)).toBe('pending');
  });

  test('legacy req_data: sent to the fixed wappaygw host; a copy on the sandbox host is checked and paid', async ({
    page,
    request,
  }) => {
    await openMerchant(page);
    const orderId = await newOrder(request, 'alipay_wap-legacy');
    const action = await classify(page, await pay(request, orderId, 'alipay', 'mobile'));
    const url = String(action.url).replace(
      'https://wappaygw.alipay.com/service/rest.htm',
      `${SHOP}/gw/pingpp/alipay/service/rest.htm`,
    );
    await page.goto(url);
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.waitForURL(`**/return.html?orderId=${orderId}`);
    await expectPaid(request, orderId);
  });
});

test('wx_pub_qr: scan → paid; a webhook body changed under its old signature changes nothing', async ({
  page,
  request,
}) => {
  await openMerchant(page);
  const paidOrder = await newOrder(request, 'wx_pub_qr');
  const envelope = await pay(request, paidOrder, 'wxpay', 'pc');
  const action = await classify(page, envelope);
  expect(action.kind).toBe('qr');
  expect((await scan(request, String(action.content))).status()).toBe(200);
  await expectPaid(request, paidOrder);

  // The webhook Ping++ sent for it, as the sandbox's delivery log recorded it.
  const chargeId = String(chargeOf(envelope).id);
  const log = (await (await request.get(`/gw/pingpp/sandbox/webhooks/${chargeId}`)).json()) as {
    deliveries: { body: string; signature: string; status: number }[];
  };
  expect(log.deliveries).toHaveLength(1);
  const delivered = log.deliveries[0]!;
  expect(delivered.status).toBe(200);
  const event = JSON.parse(delivered.body) as { type: string; object: string; data: { object: Json } };
  expect(event).toMatchObject({ object: 'event', type: 'charge.succeeded', data: { object: { paid: true } } });

  // Another order, still pending, gets that event rewritten to name it, under the old signature.
  const victim = await newOrder(request, 'wx_pub_qr');
  const victimCharge = chargeOf(await pay(request, victim, 'wxpay', 'pc'));
  const forged = JSON.stringify({
    ...event,
    data: {
      object: {
        ...event.data.object,
        id: victimCharge.id,
        order_no: victimCharge.order_no,
        metadata: { order_id: victim },
      },
    },
  });
  const refused = await request.post('/api/notify/pingpp', {
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-pingplusplus-signature': delivered.signature },
    data: forged,
  });
  expect(refused.status()).toBe(401);
  const unsigned = await request.post('/api/notify/pingpp', {
    headers: { 'content-type': 'application/json; charset=utf-8' },
    data: forged,
  });
  expect(unsigned.status()).toBe(401);
  expect(await statusOf(request, victim)).toBe('pending');

  // The genuine body with its signature still verifies (a Ping++ retry), and changes nothing more.
  const replay = await request.post('/api/notify/pingpp', {
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-pingplusplus-signature': delivered.signature },
    data: delivered.body,
  });
  expect(replay.status()).toBe(200);
  expect(await statusOf(request, paidOrder)).toBe('paid');
  expect(await statusOf(request, victim)).toBe('pending');
});

test('wx_pub: the bridge confirm settles the payment only on ok with a valid paySign', async ({ page, request }) => {
  await openMerchant(page);
  const orderId = await newOrder(request, 'wx_pub');
  const envelope = await pay(request, orderId, 'wxpay', 'wechat');
  const action = await classify(page, envelope);
  expect(action.kind).toBe('wechat-jsapi');
  const chargeId = chargeOf(envelope).id;
  const params = action.params as Record<string, string>;

  const cancel = await request.post('/gw/pingpp/wx_pub/confirm', { data: { charge_id: chargeId, outcome: 'cancel' } });
  expect(await cancel.json()).toEqual({ err_msg: 'get_brand_wcpay_request:cancel' });
  const forged = await request.post('/gw/pingpp/wx_pub/confirm', {
    data: { charge_id: chargeId, outcome: 'ok', params: { ...params, package: 'prepay_id=wx0000' } },
  });
  expect(await forged.json()).toMatchObject({ err_msg: 'get_brand_wcpay_request:fail' });
  expect(await statusOf(request, orderId)).toBe('pending');

  const ok = await request.post('/gw/pingpp/wx_pub/confirm', { data: { charge_id: chargeId, outcome: 'ok', params } });
  expect(await ok.json()).toEqual({ err_msg: 'get_brand_wcpay_request:ok' });
  await expectPaid(request, orderId);
});

test('wx_wap: the H5 page → Pay → redirect_url → paid', async ({ page, request }) => {
  await openMerchant(page);
  const orderId = await newOrder(request, 'wx_wap-object');
  const action = await classify(page, await pay(request, orderId, 'wxpay', 'mobile'));
  expect(action.kind).toBe('redirect');
  await page.goto(String(action.url));
  await expect(page.getByText('WeChat Pay (via Ping++)')).toBeVisible();
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.waitForURL(`**/return.html?orderId=${orderId}`);
  await expectPaid(request, orderId);
});

test('UnionPay: the form re-targeted at the sandbox is checked field by field, then paid', async ({
  page,
  request,
}) => {
  const standIn = `${SHOP}/gw/pingpp/upacp/gateway/api/frontTransReq.do`;
  await openMerchant(page);
  const orderId = await newOrder(request, 'upacp_wap');
  const action = await classify(page, await pay(request, orderId, 'unionpay', 'mobile'));
  const fields = action.fields as Record<string, string>;

  await submitForm(page, { method: 'POST', action: standIn, fields: { ...fields, txnAmt: '1' } });
  await expect(page.getByText('验证签名失败')).toBeVisible();

  await page.goto(`${MERCHANT}/`);
  await submitForm(page, { method: 'POST', action: standIn, fields });
  await expect(page.getByText('UnionPay (via Ping++)')).toBeVisible();
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.waitForURL(`**/return.html?orderId=${orderId}`);
  await expectPaid(request, orderId);
});

test('alipay_qr: the code opens the phone page; Pay there settles the order', async ({ page, request }) => {
  await openMerchant(page);
  const orderId = await newOrder(request, 'alipay_qr');
  const action = await classify(page, await pay(request, orderId, 'alipay', 'pc'));
  expect(action.kind).toBe('qr');
  await page.goto(String(action.content));
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await expect(page.getByRole('heading', { name: '支付成功' })).toBeVisible();
  await expectPaid(request, orderId);
});

test('SDK tokens: the host app pays with orderInfo / prepayId', async ({ page, request }) => {
  await openMerchant(page);
  const alipayOrder = await newOrder(request, 'alipay');
  const alipay = await classify(page, await pay(request, alipayOrder, 'alipay', 'mobile'));
  expect((await scan(request, String(alipay.token))).status()).toBe(200);
  await expectPaid(request, alipayOrder);

  const wxOrder = await newOrder(request, 'wx');
  const wx = await classify(page, await pay(request, wxOrder, 'wxpay', 'mobile'));
  expect((await scan(request, String((wx.token as Json).prepayId))).status()).toBe(200);
  await expectPaid(request, wxOrder);
});

test('balance: paid at creation, and the webhook marks the order paid', async ({ request }) => {
  const orderId = await newOrder(request, 'balance');
  const charge = chargeOf(await pay(request, orderId, 'alipay', 'pc'));
  expect(charge).toMatchObject({ paid: true, channel: 'balance' });
  await expectPaid(request, orderId);
});

test('the simulated Ping++ refuses a wrong or missing secret key with its error JSON', async ({ request }) => {
  const wrong = await request.post('/gw/pingpp/v1/charges', {
    headers: { authorization: `Basic ${Buffer.from('sk_test_notTheSandboxKey000000000:').toString('base64')}` },
    data: { order_no: 'X1' },
  });
  expect(wrong.status()).toBe(401);
  expect(await wrong.json()).toMatchObject({
    error: { type: 'invalid_request_error', message: expect.stringContaining('Invalid API Key') },
  });
  const missing = await request.post('/gw/pingpp/v1/charges', { data: { order_no: 'X1' } });
  expect(missing.status()).toBe(401);
  expect(await missing.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
});
