/**
 * CareyShop (`user.payment.pay` / `order.payment.pay`): the merchant side. Source: CareyShop's
 * API documentation, "账号在线充值余额" (`/api/v1/payment/method/user.payment.pay/`: its parameters,
 * `request_type` web or app, and the answers), whose samples are in test/fixtures/seeds.ts.
 *
 * The create is a form POST to `<baseUrl>/api/v1/payment/method/<method>/` with CareyShop's public
 * parameters (`appkey`, `token`, `timestamp`, `format`, `method`) signed
 * `md5(app_secret + k1v1k2v2… + app_secret)` over the sorted parameters. CareyShop picks the
 * Alipay form, the WeChat QR `<img>` or the JSAPI script from the User-Agent, so the shopper's is
 * forwarded; its answer (HTML, or the `{status, message, data}` envelope) goes to the widget as it
 * came. Cash on delivery and account funds are settled by CareyShop inside the call.
 *
 * CareyShop keeps a payment's result to itself (its own `put.payment.data` handler takes the
 * channel's notify). A shop that runs CareyShop as its payment service gives it, with each call,
 * three more signed parameters: `notify_url` (CareyShop forwards the channel's Alipay-format notify
 * there, RSA2-signed, answered `success`), `return_url` (where the shopper comes back) and `attach`
 * (the shop's own number for the payment, sent back as the notify's `passback_params`). CareyShop
 * numbers payments itself (`ZF_…`); the module reads the number with `get.payment.log.list`.
 *
 * CareyShop is self-hosted: there is no common production address, each shop has its own.
 */

import type { KeyObject } from 'node:crypto';
import { readBody } from '../http.js';
import { canonicalQuery, careyshopSign, decimal, minorUnits, rsaVerify, splitsCanonical } from '../signing.js';
import {
  type Client,
  type CreateInput,
  type CreateResult,
  type MerchantGateway,
  type NotifyOutcome,
  type Order,
  ServerConfigError,
} from '../types.js';

export interface CareyshopConfig {
  /** The app's `appkey` (CareyShop admin, `get.app.list`). */
  appKey: string;
  /** The app's `app_secret`, which signs every call. Never logged, never sent. */
  appSecret: string;
  /** The CareyShop site, where `/api/v1/` is (`https://shop.example/`). */
  baseUrl: string;
  /**
   * The shopper's CareyShop session token (`login.user.user`): both payment methods need a signed-in
   * user. Called for each create with the order being paid.
   */
  token(order: Readonly<Order>): string | Promise<string>;
  /** The Alipay app id CareyShop's Alipay driver uses: the forwarded notify's `app_id`. */
  alipayAppId: string;
  /** Alipay's public key (PEM or KeyObject), which verifies the forwarded notify's RSA2 `sign`. */
  alipayPublicKey: KeyObject | string;
}

/** `to_payment` codes (CareyShop `model/Payment.php`). */
const TO_PAYMENT: Record<string, number> = { balance: 0, cod: 1, alipay: 2, wxpay: 3 };

/** The keys of Alipay's asynchronous notify (trade_status_sync), and no others. */
const NOTIFY_KEYS = [
  'notify_time',
  'notify_type',
  'notify_id',
  'app_id',
  'auth_app_id',
  'charset',
  'version',
  'sign_type',
  'sign',
  'trade_no',
  'out_trade_no',
  'out_biz_no',
  'buyer_id',
  'buyer_logon_id',
  'seller_id',
  'seller_email',
  'trade_status',
  'total_amount',
  'receipt_amount',
  'invoice_amount',
  'buyer_pay_amount',
  'point_amount',
  'refund_fee',
  'subject',
  'body',
  'gmt_create',
  'gmt_payment',
  'gmt_refund',
  'gmt_close',
  'fund_bill_list',
  'voucher_detail_list',
  'passback_params',
];

/**
 * The User-Agent CareyShop sees: the shopper's, with the in-app marker the widget's client type
 * stands for when the browser's own lacks it (a page that says it runs inside WeChat).
 */
function agentOf(userAgent: string, client: Client): string {
  if (client.type === 'wechat' && !/MicroMessenger/i.test(userAgent)) return `${userAgent} MicroMessenger/8.0.49`;
  if (client.type === 'alipay' && !/AlipayClient/i.test(userAgent)) return `${userAgent} AlipayClient/10.5.0`;
  return userAgent;
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

interface Envelope {
  status?: unknown;
  message?: unknown;
  data?: unknown;
}

export function careyshop(config: CareyshopConfig): MerchantGateway {
  for (const field of ['appKey', 'appSecret', 'baseUrl', 'alipayAppId'] as const) {
    if (typeof config?.[field] !== 'string' || config[field] === '')
      throw new ServerConfigError(`cashdesk/server: careyshop.${field} is missing`);
  }
  if (typeof config.token !== 'function')
    throw new ServerConfigError(
      "cashdesk/server: careyshop.token is missing (a function giving the shopper's session token)",
    );
  if (!config.alipayPublicKey) throw new ServerConfigError('cashdesk/server: careyshop.alipayPublicKey is missing');
  if (!URL.canParse(config.baseUrl))
    throw new ServerConfigError('cashdesk/server: careyshop.baseUrl must be an absolute URL');
  const base = config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`;

  /** One signed API call; `method` goes in the path (PATH_INFO) and is signed as a parameter. */
  async function call(
    path: string,
    method: string,
    business: Record<string, string>,
    token: string,
    userAgent?: string,
  ) {
    const params: Record<string, string> = {
      appkey: config.appKey,
      token,
      timestamp: String(Math.floor(Date.now() / 1000)),
      format: 'json',
      method,
      ...business,
    };
    const { method: _inPath, ...body } = params;
    const response = await fetch(new URL(`api/v1/${path}/method/${method}/`, base), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(userAgent === undefined ? {} : { 'user-agent': userAgent }),
      },
      body: new URLSearchParams({ ...body, sign: careyshopSign(params, config.appSecret) }),
    });
    // CareyShop answers HTTP 200 whatever `status` says (§3.3): anything else did not reach it.
    if (!response.ok) throw new Error(`CareyShop answered HTTP ${response.status} to ${method}`);
    return response;
  }

  return {
    id: 'careyshop',
    async create(input: CreateInput) {
      const { order, method } = input;
      if (order.currency !== 'CNY') throw new Error(`CareyShop takes CNY only, not ${order.currency}`);
      const toPayment = TO_PAYMENT[method];
      if (toPayment === undefined) throw new Error(`CareyShop has no method ${method}`);
      const token = await config.token(order);
      const attach = `${order.orderId}-${input.sequence}`;
      // Cash on delivery and account funds pay the order itself; the card channels top up the account.
      const apiMethod = toPayment <= 1 ? 'order.payment.pay' : 'user.payment.pay';
      const business: Record<string, string> = {
        ...(apiMethod === 'order.payment.pay' ? { order_no: order.orderId } : { money: decimal(order.amount) }),
        to_payment: String(toPayment),
        // The widget runs in a browser: CareyShop's forms, QR and JSAPI script (`app` is for native SDKs).
        request_type: 'web',
        notify_url: input.notifyUrl,
        return_url: input.returnUrl,
        attach,
      };
      // Seed 002, note 2: an unfinished top-up is resumed with its payment_no rather than started again.
      const earlier = [...order.attempts]
        .reverse()
        .find((a) => (a.method === 'alipay' || a.method === 'wxpay') && a.reference.startsWith('ZF_'));
      const agent = agentOf(input.userAgent, input.client);
      /** The payment call: raw HTML (a driver's view, §3.2) or the JSON envelope. */
      const pay = async (paymentNo?: string) => {
        const response = await call(
          'payment',
          apiMethod,
          paymentNo ? { ...business, payment_no: paymentNo } : business,
          token,
          agent,
        );
        if ((response.headers.get('content-type') ?? '').includes('text/html')) return { html: await response.text() };
        return { answer: (await response.json()) as Envelope };
      };
      let { html, answer } = await pay(apiMethod === 'user.payment.pay' ? earlier?.reference : undefined);
      // The earlier payment was closed meanwhile: a new one.
      if (apiMethod === 'user.payment.pay' && earlier && answer?.message === '支付日志不存在或已完成')
        ({ html, answer } = await pay());
      let reference = attach;
      if (html !== undefined || answer?.status === 200) {
        const found = await call('payment_log', 'get.payment.log.list', { attach, page_size: '1' }, token);
        const list = ((await found.json()) as Envelope).data as { items?: { payment_no?: unknown }[] } | undefined;
        const paymentNo = list?.items?.[0]?.payment_no;
        if (typeof paymentNo === 'string' && paymentNo !== '') reference = paymentNo;
      }
      // Settled by CareyShop within the call (the cash-on-delivery refresh page, or `data: true`): no
      // notify follows, so the answer to the call this backend made to its configured CareyShop says it.
      let settled: CreateResult['settled'];
      if (html?.includes('http-equiv="refresh"')) {
        settled = html.includes('info=支付结算完成')
          ? { status: 'paid' }
          : { status: 'failed', code: 'COD', message: '支付结算失败' };
      } else if (answer?.status === 200 && answer.data === true) settled = { status: 'paid' };
      return { response: html ?? answer, reference, merchantReference: attach, ...(settled ? { settled } : {}) };
    },

    async notify(request: Request): Promise<NotifyOutcome> {
      const params = Object.fromEntries(new URLSearchParams(await readBody(request)));
      const fail = (why: string): NotifyOutcome => ({ verified: false, reply: text(400, 'fail'), why });
      if (splitsCanonical(params, NOTIFY_KEYS)) return fail('not an Alipay notify');
      if (params.sign_type !== 'RSA2') return fail('not RSA2');
      if (!rsaVerify(canonicalQuery(params, ['sign', 'sign_type']), params.sign, config.alipayPublicKey))
        return fail('bad signature');
      if (params.app_id !== config.alipayAppId) return fail('not our Alipay app');
      const accept = text(200, 'success');
      const reject = text(400, 'fail');
      const merchantReference = params.passback_params ?? '';
      const orderId = merchantReference.replace(/-\d+$/, '');
      if (orderId === merchantReference) return fail('not a payment of ours');
      // The shop's number alone: a resumed payment_no belongs to more than one attempt.
      const references = [merchantReference];
      if (params.trade_status === 'TRADE_SUCCESS' || params.trade_status === 'TRADE_FINISHED') {
        const amount = minorUnits(params.total_amount);
        if (amount === undefined) return fail('no total_amount');
        return {
          verified: true,
          accept,
          reject,
          result: { orderId, status: 'paid', amount, currency: 'CNY', references },
        };
      }
      if (params.trade_status === 'TRADE_CLOSED') {
        const result = { orderId, status: 'failed', code: 'TRADE_CLOSED', message: '交易关闭', references } as const;
        return { verified: true, accept, reject, result };
      }
      return { verified: true, accept, reject };
    },
  };
}
