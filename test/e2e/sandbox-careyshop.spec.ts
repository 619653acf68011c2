/**
 * The CareyShop simulator in the sandbox (GATEWAYS.md §3): every scenario through the merchant
 * backend's create call, classified by the script-tag build's `Cashdesk.toAction`, and the pages
 * the shopper is sent to walked to a paid (or failed) order.
 */
import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import { type Answer, type ClientType, openMerchant, SHOP, sandbox, statusOf, submitForm } from './merchant-page.js';
import { expect, test } from './strict-csp.js';

const careyshop = sandbox('careyshop');
const { newOrder, classify } = careyshop;

const AGENTS: Record<ClientType, string> = {
  pc: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  mobile:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  wechat:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003137) NetType/WIFI Language/zh_CN',
  alipay:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 AlipayClient/10.5.96.6000 Language/zh-Hans',
  qq: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 QQ/9.0.60.611 V1_IPH_SQ_9.0.60_1_APP_A',
};

interface Payment {
  orderId: string;
  idempotencyKey: string;
  answer: Answer;
}

interface PayOptions {
  scenario: string;
  method: string;
  client?: ClientType;
  amount?: number;
  orderId?: string;
  idempotencyKey?: string;
}

/** The create call exactly as the widget makes it, from the shopper's browser. */
async function pay(request: APIRequestContext, baseURL: string, options: PayOptions): Promise<Payment> {
  const orderId = options.orderId ?? (await newOrder(request, options.scenario, options.amount));
  const client = options.client ?? 'pc';
  const idempotencyKey = options.idempotencyKey ?? randomUUID();
  const answer = await careyshop.pay(request, {
    orderId,
    method: options.method,
    client: {
      type: client,
      os: client === 'pc' ? 'windows' : 'ios',
      inApp: client === 'wechat' || client === 'alipay' || client === 'qq' ? client : null,
    },
    returnUrl: `${baseURL}/api/return`,
    idempotencyKey,
    headers: { 'User-Agent': AGENTS[client] },
  });
  return { orderId, idempotencyKey, answer };
}

async function referencesOf(request: APIRequestContext, orderId: string): Promise<string[]> {
  const response = await request.get(`/api/orders/${orderId}`);
  return ((await response.json()) as { attempts: string[] }).attempts;
}

/** A plain merchant page on the sandbox origin with the script-tag build. */
const openShop = (page: Page) => openMerchant(page, { origin: SHOP, path: '/__careyshop-shop/' });

test.describe('CareyShop sandbox', () => {
  test('the gallery lists the CareyShop scenarios', async ({ request }) => {
    const response = await request.get('/api/sandbox');
    const { gateways } = (await response.json()) as {
      gateways: { id: string; methods: string[]; scenarios: { id: string; expect: string }[] }[];
    };
    const careyshop = gateways.find((g) => g.id === 'careyshop');
    expect(careyshop?.methods).toEqual(['alipay', 'wxpay', 'cod', 'balance']);
    expect(careyshop?.scenarios.map((s) => s.id)).toEqual([
      'web',
      'app',
      'cod',
      'cod-error',
      'settled',
      'method-unavailable',
      'amount-changed',
      'order-paid',
      'config-error',
      'token-expired',
      'token-error',
      'unauthorized',
      'sign-error',
    ]);
  });

  test('web, Alipay, PC and ordinary phones: the page.pay form, exactly as AopClient prints it', async ({
    page,
    request,
    baseURL,
  }) => {
    await openShop(page);
    for (const client of ['pc', 'mobile'] as const) {
      const { answer } = await pay(request, String(baseURL), { scenario: 'web', method: 'alipay', client });
      const html = String(answer.response);
      expect(typeof answer.response).toBe('string');
      expect(html).toMatch(
        /^<form id='alipaysubmit' name='alipaysubmit' action='http:\/\/127\.0\.0\.1:\d+\/gw\/careyshop\/alipay\/gateway\.do\?charset=UTF-8' method='POST'><input type='hidden' name='biz_content' value='\{"product_code":"FAST_INSTANT_TRADE_PAY","body":"","subject":"账号充值","total_amount":99\.0,"out_trade_no":"ZF_I\d{19}"\}'\/>/,
      );
      expect(html).toContain("<input type='submit' value='ok' style='display:none;''></form>");
      expect(html.endsWith("<script>document.forms['alipaysubmit'].submit();</script>")).toBe(true);
      const action = await classify(page, answer.response);
      expect(action).toMatchObject({
        kind: 'form',
        method: 'POST',
        action: `${baseURL}/gw/careyshop/alipay/gateway.do?charset=UTF-8`,
        gateway: 'careyshop',
      });
      const fields = action.fields as Record<string, string>;
      expect(Object.keys(fields)).toEqual([
        'biz_content',
        'app_id',
        'version',
        'format',
        'sign_type',
        'method',
        'timestamp',
        'alipay_sdk',
        'notify_url',
        'return_url',
        'charset',
        'sign',
      ]);
      expect(fields).toMatchObject({
        method: 'alipay.trade.page.pay',
        sign_type: 'RSA2',
        notify_url: `${baseURL}/api/notify/careyshop`,
      });
      expect(fields.return_url).toMatch(/\/api\/return\?orderId=SBX/);
    }
  });

  test('web, Alipay, inside the Alipay app: the wap.pay form, product code unchanged', async ({
    page,
    request,
    baseURL,
  }) => {
    await openShop(page);
    const { answer } = await pay(request, String(baseURL), { scenario: 'web', method: 'alipay', client: 'alipay' });
    const action = await classify(page, answer.response);
    expect(action.kind).toBe('form');
    const fields = action.fields as Record<string, string>;
    expect(fields.method).toBe('alipay.trade.wap.pay');
    expect(JSON.parse(fields.biz_content ?? '{}')).toMatchObject({ product_code: 'FAST_INSTANT_TRADE_PAY' });
  });

  test('web, WeChat outside WeChat: the QR renderer <img> -> qr of the weixin:// code, on PC and phone', async ({
    page,
    request,
    baseURL,
  }) => {
    await openShop(page);
    for (const client of ['pc', 'mobile'] as const) {
      const { answer } = await pay(request, String(baseURL), { scenario: 'web', method: 'wxpay', client });
      expect(String(answer.response)).toMatch(
        /^<img src="http:\/\/127\.0\.0\.1:\d+\/gw\/careyshop\/api\/v1\/qrcode\/method\/get\.qrcode\.item\.html\?text=weixin%3A%2F%2Fwxpay%2Fbizpayurl%3Fpr%3D[A-Za-z0-9]+"\/>$/,
      );
      const action = await classify(page, answer.response);
      expect(action).toMatchObject({ kind: 'qr', gateway: 'careyshop' });
      expect(String(action.content)).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=[A-Za-z0-9]+$/);
    }
  });

  test('web, WeChat inside WeChat: the JSAPI script -> wechat-jsapi', async ({ page, request, baseURL }) => {
    await openShop(page);
    const { answer } = await pay(request, String(baseURL), { scenario: 'web', method: 'wxpay', client: 'wechat' });
    expect(String(answer.response)).toContain('WeixinJSBridge.invoke(\n\t\t\t\'getBrandWCPayRequest\',{"appId":');
    const action = await classify(page, answer.response);
    expect(action).toMatchObject({ kind: 'wechat-jsapi', params: { signType: 'MD5' } });
    const params = action.params as Record<string, string>;
    expect(params.package).toMatch(/^prepay_id=wx[0-9a-f]+$/);
    expect(params.timeStamp).toMatch(/^\d{10}$/);
    expect(params.paySign).toMatch(/^[0-9A-F]{32}$/);
  });

  test('app: the signed Alipay order string and the WeChat token object -> sdk-token', async ({
    page,
    request,
    baseURL,
  }) => {
    await openShop(page);
    const alipay = await pay(request, String(baseURL), { scenario: 'app', method: 'alipay', client: 'mobile' });
    const envelope = alipay.answer.response as { status: number; message: string; data: string };
    expect(envelope).toMatchObject({ status: 200, message: 'success' });
    expect(envelope.data).toMatch(
      /^alipay_sdk=alipay-sdk-PHP-4\.11\.14\.ALL&app_id=\d+&biz_content=%7B%22product_code%22%3A%22QUICK_MSECURITY_PAY%22.*&charset=UTF-8&format=json&method=alipay\.trade\.app\.pay&notify_url=.*&sign_type=RSA2&timestamp=\d{4}-\d\d-\d\d\+\d\d%3A\d\d%3A\d\d&version=1\.0&sign=.+$/,
    );
    expect(await classify(page, envelope)).toEqual({
      kind: 'sdk-token',
      sdk: 'alipay',
      token: envelope.data,
      gateway: 'careyshop',
    });

    const wechat = await pay(request, String(baseURL), { scenario: 'app', method: 'wxpay', client: 'mobile' });
    const token = (wechat.answer.response as { data: Record<string, unknown> }).data;
    expect(Object.keys(token)).toEqual(['appid', 'partnerid', 'prepayid', 'noncestr', 'timestamp', 'package', 'sign']);
    expect(typeof token.timestamp).toBe('number');
    expect(token.package).toBe('Sign=WXPay');
    expect(await classify(page, wechat.answer.response)).toEqual({
      kind: 'sdk-token',
      sdk: 'wechat',
      token,
      gateway: 'careyshop',
    });
  });

  test('cash on delivery: the refresh page -> redirect to payment.success, settled', async ({
    page,
    request,
    baseURL,
  }) => {
    await openShop(page);
    const { orderId, answer } = await pay(request, String(baseURL), { scenario: 'cod', method: 'alipay' });
    expect(String(answer.response)).toMatch(
      /^<head><meta http-equiv="refresh" content="0; url=http:\/\/127\.0\.0\.1:\d+\/api\/return\?orderId=SBX\w+&info=支付结算完成&payment_no=ZF_I\d{19}"><title><\/title><\/head>$/,
    );
    const action = await classify(page, answer.response);
    expect(action.kind).toBe('redirect');
    expect(String(action.url)).toContain(
      `/api/return?orderId=${orderId}&info=%E6%94%AF%E4%BB%98%E7%BB%93%E7%AE%97%E5%AE%8C%E6%88%90&payment_no=ZF_I`,
    );
    expect(await statusOf(request, orderId)).toBe('paid');

    // The same through the `cod` method in the plain web scenario.
    const viaMethod = await pay(request, String(baseURL), { scenario: 'web', method: 'cod' });
    expect((await classify(page, viaMethod.answer.response)).kind).toBe('redirect');
  });

  test('cash on delivery that fails to settle: redirect to payment.error, failed', async ({
    page,
    request,
    baseURL,
  }) => {
    await openShop(page);
    const { orderId, answer } = await pay(request, String(baseURL), { scenario: 'cod-error', method: 'cod' });
    expect(String(answer.response)).toContain('info=支付结算失败&payment_no=ZF_I');
    const action = await classify(page, answer.response);
    expect(action.kind).toBe('redirect');
    expect(await statusOf(request, orderId)).toBe('failed');
  });

  test('account funds: {status:200, message:"success", data:true} -> success, paid', async ({
    page,
    request,
    baseURL,
  }) => {
    await openShop(page);
    const settled = await pay(request, String(baseURL), { scenario: 'settled', method: 'alipay' });
    expect(settled.answer.response).toEqual({ status: 200, message: 'success', data: true });
    expect(await classify(page, settled.answer.response)).toEqual({ kind: 'success', gateway: 'careyshop' });
    expect(await statusOf(request, settled.orderId)).toBe('paid');

    const balance = await pay(request, String(baseURL), { scenario: 'web', method: 'balance' });
    expect(balance.answer.response).toEqual({ status: 200, message: 'success', data: true });
  });

  const failures: [scenario: string, method: string, status: number, message: string][] = [
    ['method-unavailable', 'alipay', 500, '支付方式不可用'],
    ['amount-changed', 'alipay', 500, '支付金额发生变化，请重新创建订单'],
    ['order-paid', 'alipay', 500, '订单已完成支付'],
    ['config-error', 'alipay', 500, '商户私钥不能为空'],
    ['config-error', 'wxpay', 500, '绑定支付的APPID不能为空'],
    ['token-expired', 'alipay', 401, 'token已过期'],
    ['token-error', 'wxpay', 401, 'token错误'],
    ['unauthorized', 'alipay', 401, '未授权或授权已过期'],
    ['sign-error', 'alipay', 500, 'sign错误'],
  ];
  for (const [scenario, method, status, message] of failures) {
    test(`${scenario} (${method}): {status:${status}, message:"${message}", data:null} -> failed`, async ({
      page,
      request,
      baseURL,
    }) => {
      await openShop(page);
      const { orderId, answer } = await pay(request, String(baseURL), { scenario, method });
      expect(answer.response).toEqual({ status, message, data: null });
      expect(await classify(page, answer.response)).toEqual({
        kind: 'failed',
        code: String(status),
        message,
        gateway: 'careyshop',
      });
      expect(await statusOf(request, orderId)).toBe('pending');
    });
  }

  test('PC Alipay: form -> sandbox Alipay checks it -> Pay -> back on the return URL -> paid', async ({
    page,
    request,
    baseURL,
  }) => {
    await openShop(page);
    const { orderId, answer } = await pay(request, String(baseURL), { scenario: 'web', method: 'alipay' });
    const action = await classify(page, answer.response);
    await submitForm(page, action);
    await expect(page.getByRole('heading', { name: '账号充值' })).toBeVisible();
    await expect(page.getByText('¥99.00')).toBeVisible();
    expect(await statusOf(request, orderId)).toBe('pending');
    await Promise.all([page.waitForURL(/\/return\.html\?orderId=/), page.getByRole('button', { name: 'Pay' }).click()]);
    expect(new URL(page.url()).searchParams.get('orderId')).toBe(orderId);
    expect(await statusOf(request, orderId)).toBe('paid');
  });

  test('Alipay Fail closes the trade (failed); Cancel leaves it pending and a new attempt resumes it', async ({
    page,
    request,
    baseURL,
  }) => {
    await openShop(page);
    const failed = await pay(request, String(baseURL), { scenario: 'web', method: 'alipay' });
    await submitForm(page, await classify(page, failed.answer.response));
    await Promise.all([page.waitForURL(/\/return\.html/), page.getByRole('button', { name: 'Fail' }).click()]);
    expect(await statusOf(request, failed.orderId)).toBe('failed');

    await openShop(page);
    const cancelled = await pay(request, String(baseURL), { scenario: 'web', method: 'alipay' });
    await submitForm(page, await classify(page, cancelled.answer.response));
    await Promise.all([page.waitForURL(/\/return\.html/), page.getByRole('button', { name: 'Cancel' }).click()]);
    expect(await statusOf(request, cancelled.orderId)).toBe('pending');
    // Seed 002 note 2: the next attempt (a new key, another channel) resumes the same payment_no.
    const again = await pay(request, String(baseURL), {
      scenario: 'web',
      method: 'wxpay',
      orderId: cancelled.orderId,
    });
    const references = await referencesOf(request, cancelled.orderId);
    expect(references).toHaveLength(2);
    expect(references[1]).toBe(references[0]);
    await openShop(page);
    const qr = await classify(page, again.answer.response);
    const scan = await request.post('/gw/careyshop/scan', { form: { content: String(qr.content) } });
    expect(scan.status()).toBe(200);
    expect(await statusOf(request, cancelled.orderId)).toBe('paid');
  });

  test('an altered Alipay form is refused by the sandbox Alipay (invalid-signature)', async ({
    page,
    request,
    baseURL,
  }) => {
    await openShop(page);
    const { orderId, answer } = await pay(request, String(baseURL), { scenario: 'web', method: 'alipay' });
    const action = await classify(page, answer.response);
    const fields = action.fields as Record<string, string>;
    const cheaper = {
      ...fields,
      biz_content: (fields.biz_content ?? '').replace('"total_amount":99.0', '"total_amount":0.01'),
    };
    const response = await request.post(String(action.action), { form: cheaper });
    expect(response.status()).toBe(400);
    expect(await response.text()).toContain('invalid-signature');
    expect(await statusOf(request, orderId)).toBe('pending');
  });

  test('WeChat QR: the <img> -> scan the code -> paid', async ({ page, request, baseURL }) => {
    await openShop(page);
    const { orderId, answer } = await pay(request, String(baseURL), { scenario: 'web', method: 'wxpay' });
    const action = await classify(page, answer.response);
    expect(action.kind).toBe('qr');
    // CareyShop's QR renderer answers with an image (the widget never loads it; a person may).
    const src = /src="([^"]+)"/.exec(String(answer.response))?.[1] ?? '';
    const image = await request.get(src);
    expect(image.headers()['content-type']).toBe('image/svg+xml');
    expect(await statusOf(request, orderId)).toBe('pending');
    const scan = await request.post('/gw/careyshop/scan', { form: { content: String(action.content) } });
    expect(scan.status()).toBe(200);
    expect(await statusOf(request, orderId)).toBe('paid');
    // A second scan of a settled code changes nothing.
    expect((await request.post('/gw/careyshop/scan', { form: { content: String(action.content) } })).status()).toBe(
      409,
    );
  });

  test('WeChat JSAPI: the simulated bridge confirms -> paid; a cancel leaves it pending', async ({
    page,
    request,
    baseURL,
  }) => {
    await openShop(page);
    const cancelled = await pay(request, String(baseURL), { scenario: 'web', method: 'wxpay', client: 'wechat' });
    const cancelAction = await classify(page, cancelled.answer.response);
    const cancel = await request.post('/gw/careyshop/jsapi/confirm', {
      data: { prepay_id: (cancelAction.params as Record<string, string>).package, outcome: 'cancel' },
    });
    expect(await cancel.json()).toEqual({ err_msg: 'get_brand_wcpay_request:cancel' });
    expect(await statusOf(request, cancelled.orderId)).toBe('pending');

    const { orderId, answer } = await pay(request, String(baseURL), {
      scenario: 'web',
      method: 'wxpay',
      client: 'wechat',
    });
    const action = await classify(page, answer.response);
    const prepayId = String((action.params as Record<string, string>).package).replace('prepay_id=', '');
    const confirm = await request.post('/gw/careyshop/jsapi/confirm', { data: { prepay_id: prepayId, outcome: 'ok' } });
    expect(await confirm.json()).toEqual({ err_msg: 'get_brand_wcpay_request:ok' });
    expect(await statusOf(request, orderId)).toBe('paid');
  });

  test('app tokens: the Alipay app and WeChat pay what the SDK was handed -> paid', async ({ request, baseURL }) => {
    const alipay = await pay(request, String(baseURL), { scenario: 'app', method: 'alipay', client: 'mobile' });
    const orderString = (alipay.answer.response as { data: string }).data;
    const tampered = orderString.replace('total_amount%22%3A99.0', 'total_amount%22%3A0.01');
    expect((await request.post('/gw/careyshop/scan', { form: { content: tampered } })).status()).toBe(404);
    expect((await request.post('/gw/careyshop/scan', { form: { content: orderString } })).status()).toBe(200);
    expect(await statusOf(request, alipay.orderId)).toBe('paid');

    const wechat = await pay(request, String(baseURL), { scenario: 'app', method: 'wxpay', client: 'mobile' });
    const prepayId = String((wechat.answer.response as { data: { prepayid: string } }).data.prepayid);
    expect((await request.post('/gw/careyshop/scan', { form: { content: prepayId } })).status()).toBe(200);
    expect(await statusOf(request, wechat.orderId)).toBe('paid');
  });

  test('a notify with a forged signature is refused and leaves the order unpaid', async ({ request, baseURL }) => {
    const { orderId } = await pay(request, String(baseURL), { scenario: 'web', method: 'wxpay' });
    const [paymentNo] = await referencesOf(request, orderId);
    expect(paymentNo).toMatch(/^ZF_I\d{19}$/);
    const forged = {
      app_id: '2021000118600001',
      charset: 'UTF-8',
      notify_type: 'trade_status_sync',
      out_trade_no: String(paymentNo),
      total_amount: '99.00',
      trade_no: '2024010122001400000000000001',
      trade_status: 'TRADE_SUCCESS',
      version: '1.0',
      sign_type: 'RSA2',
      sign: Buffer.from('not the sandbox Alipay key'.repeat(10)).toString('base64'),
    };
    const refused = await request.post('/api/notify/careyshop', { form: forged });
    expect(refused.status()).toBe(400);
    expect(await refused.text()).toBe('fail');
    const unsigned = await request.post('/api/notify/careyshop', { form: { ...forged, sign: '' } });
    expect(await unsigned.text()).toBe('fail');
    expect(await statusOf(request, orderId)).toBe('pending');
  });

  test('a repeated create with the same idempotency key returns the same payment', async ({ request, baseURL }) => {
    const first = await pay(request, String(baseURL), { scenario: 'web', method: 'alipay' });
    const second = await pay(request, String(baseURL), {
      scenario: 'web',
      method: 'alipay',
      orderId: first.orderId,
      idempotencyKey: first.idempotencyKey,
    });
    expect(second.answer).toEqual(first.answer);
    const order = (await (await request.get(`/api/orders/${first.orderId}`)).json()) as {
      creates: number;
      attempts: string[];
    };
    expect(order.creates).toBe(2);
    expect(order.attempts).toHaveLength(1);
  });
});
