/**
 * The CareyShop simulator (CareyShop's "账号在线充值余额" API page, sampled in test/fixtures/seeds.ts): `user.payment.pay` and `order.payment.pay` as
 * a CareyShop site answers them, with the Alipay and WeChat drivers it is configured with. It checks
 * the session token (401 `token错误`, `token已过期`, `未授权或授权已过期`), the appkey and the
 * signature (500 `sign错误`) in CareyShop's own order, then answers exactly as the drivers print:
 * the auto-submitting Alipay form (page.pay, or wap.pay inside the Alipay app) signed RSA2 with the
 * app's key, the WeChat QR `<img>` of CareyShop's QR renderer, the WeChat JSAPI script, the app
 * tokens as JSON, the cash-on-delivery refresh page, `data:true`, or an error envelope. Always HTTP
 * 200: CareyShop's `outPut` forces it on plain HTTP (§3.3). `get.payment.log.list` gives the shop
 * the payment number (`ZF_…`) of its `attach`.
 *
 * Paying forwards the channel's result to the shop's `notify_url` as Alipay's asynchronous notify
 * for both channels (form-encoded, `trade_status=TRADE_SUCCESS` or `TRADE_CLOSED`, the shop's
 * `attach` as `passback_params`, RSA2 `sign` with the sandbox "Alipay" key), answered `success`.
 *
 * The gallery's scenario (`board.of(attach)`) is the state of this simulated CareyShop, never
 * something the shop sends: `app` answers as for `request_type=app` (the SDK tokens); `cod`,
 * `cod-error` and `settled` settle inside the call as cash on delivery or account funds would;
 * `method-unavailable` is the method switched off in CareyShop's admin; `amount-changed` resumes
 * the shopper's earlier unpaid ¥0.01 top-up (the API page's sample payment number); `order-paid` is an order
 * CareyShop has already paid; `config-error` a driver without keys; `token-expired`, `token-error`
 * and `unauthorized` answer as if the shop's token for the shopper had expired, been superseded by
 * a newer login, or never been issued; `sign-error` as if the app_secret had been rotated.
 */

import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import QRCode from 'qrcode';
import {
  canonicalQuery,
  careyshopSign,
  decimal,
  md5,
  rsaSign,
  rsaVerify,
  sameSignature,
} from '../../../src/server/signing.js';
import { CAREYSHOP, careyshopKeys, careyshopToken } from '../credentials.js';
import {
  escapeHtml,
  originOf,
  query,
  type Request,
  type Router,
  readForm,
  readJson,
  readText,
  redirect,
  sendHtml,
  sendJson,
} from '../http.js';
import { cashierPage, page } from '../pages.js';
import { wechatSign } from '../signing.js';
import type { ScenarioBoard } from './board.js';
import type { Simulator } from './types.js';

const BASE = '/gw/careyshop';
const API = `${BASE}/api/v1/payment/method`;
const LOG_API = `${BASE}/api/v1/payment_log/method`;

const { appKey: APPKEY, appSecret: APP_SECRET, alipayAppId: ALIPAY_APP_ID } = CAREYSHOP;
const ALIPAY_SELLER_ID = '2088102177846880';
const ALIPAY_SDK = 'alipay-sdk-PHP-4.11.14.ALL';
/** CareyShop's WeChat driver configuration: app id, merchant id and the API key for MD5 signatures. */
const WECHAT_APP_ID = 'wx5d1e9a0b7c3f2468';
const WECHAT_MCH_ID = '1900000109';
const WECHAT_KEY = 'SandboxWechatApiKey0123456789abc';

const CODE_USER = 0;
const CODE_COD = 1;
const CODE_ALIPAY = 2;
const CODE_WECHAT = 3;

/** The app's key pair (CareyShop signs, the sandbox "Alipay" verifies) and Alipay's (it signs notifies). */
const sandboxKeys = careyshopKeys;

/** The tokens CareyShop issued the sandbox shopper (`login.user.user`). */
const ISSUED = {
  current: CAREYSHOP.shopperToken,
  expired: careyshopToken(1, 0, 'sandbox-login-2019'),
  /** Issued before the shopper logged in again elsewhere, which gave the row a new code. */
  superseded: careyshopToken(1, 0, 'sandbox-login-before'),
  never: md5('a token CareyShop never issued'),
};

// ---------------------------------------------------------------------------------------------
// Small formats.

/** `Y-m-d H:i:s` in Beijing time, as CareyShop and Alipay print timestamps. */
function beijingTime(date = new Date()): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
}

/**
 * A yuan amount as PHP 7.1+ `json_encode(round($amount, 2))` prints it: the shortest form, with
 * `.0` on whole numbers. Built from the decimal string, never from a float.
 */
function phpFloat(amount: number): string {
  const [whole = '0', fraction = ''] = decimal(amount).split('.');
  return `${whole}.${fraction.replace(/0+$/, '') || '0'}`;
}

/** Minor units from a yuan string (`99`, `99.5`, `99.50`), or undefined when it is not one. */
function minorUnits(text: string): number | undefined {
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** PHP's `urlencode()`, which `http_build_query()` uses: RFC 1738, spaces as `+`. */
function phpUrlencode(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

function digits(count: number): string {
  let text = '';
  while (text.length < count) text += String(randomBytes(4).readUInt32BE(0));
  return text.slice(0, count);
}

function nonce(length = 32): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/** CareyShop's `get_order_no('ZF_')`: `ZF_I` and 19 digits. */
function newPaymentNo(): string {
  return `ZF_I${digits(19)}`;
}

// ---------------------------------------------------------------------------------------------
// The simulator's database: CareyShop's payment logs, its orders and its `token` table.

interface PaymentLog {
  paymentNo: string;
  /** 0 account top-up (user.payment.pay), 1 order payment (order.payment.pay). */
  type: 0 | 1;
  orderNo: string;
  /** Minor units. */
  amount: number;
  /** 0 unpaid, 1 paid, 2 closed. */
  status: 0 | 1 | 2;
  toPayment: number;
  subject: string;
  /** The shop's number for the payment, sent back as the notify's `passback_params`. */
  attach: string;
  notifyUrl: string;
  returnUrl: string;
  /** The channel's trade number once paid (Alipay `trade_no`, WeChat `transaction_id`). */
  tradeNo?: string;
  /** Which Alipay method the form used, for the synchronous return's `method`. */
  alipayMethod?: string;
}

const logs = new Map<string, PaymentLog>();
/** WeChat `pr` codes and prepay ids → payment number: a resumed payment keeps its earlier codes valid. */
const channelRefs = new Map<string, string>();
/** CareyShop's orders that are paid (`payment_status` 1). */
const paidOrders = new Set<string>();

interface TokenRow {
  clientId: number;
  clientType: number;
  code: string;
  /** Unix seconds. */
  expires: number;
}

const FAR_FUTURE = 4_102_444_800;
const TOKENS = new Map<string, TokenRow>([
  [ISSUED.current, { clientId: 1, clientType: 0, code: 'sandbox-login-current', expires: FAR_FUTURE }],
  [ISSUED.expired, { clientId: 1, clientType: 0, code: 'sandbox-login-2019', expires: 1_577_808_000 }],
  [ISSUED.superseded, { clientId: 1, clientType: 0, code: 'sandbox-login-after', expires: FAR_FUTURE }],
]);

/** The token the shop holds for the shopper, as the scenario has it. */
function tokenAs(scenario: string, token: string): string {
  if (scenario === 'token-expired') return ISSUED.expired;
  if (scenario === 'token-error') return ISSUED.superseded;
  if (scenario === 'unauthorized') return ISSUED.never;
  return token;
}

interface PaymentRow {
  name: string;
  isInpour: boolean;
  isPayment: boolean;
}

/** `get.payment.list` defaults: which codes may top up the account and which may pay orders. */
const PAYMENTS: Record<number, PaymentRow> = {
  0: { name: '账户资金', isInpour: false, isPayment: false },
  1: { name: '货到付款', isInpour: false, isPayment: true },
  2: { name: '支付宝', isInpour: true, isPayment: true },
  3: { name: '微信支付', isInpour: true, isPayment: true },
  4: { name: '银行转账', isInpour: false, isPayment: false },
  5: { name: '购物卡', isInpour: false, isPayment: false },
};

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// The simulator's answers, as the drivers print them.

/** `AopClient::buildRequestForm()`: single quotes, `'` as `&apos;`, nothing else escaped. */
function alipayFormHtml(action: string, fields: [string, string][]): string {
  const inputs = fields
    .map(([name, value]) => `<input type='hidden' name='${name}' value='${value.replace(/'/g, '&apos;')}'/>`)
    .join('');
  return `<form id='alipaysubmit' name='alipaysubmit' action='${action}' method='POST'>${inputs}<input type='submit' value='ok' style='display:none;''></form><script>document.forms['alipaysubmit'].submit();</script>`;
}

function bizContent(productCode: string, log: PaymentLog): string {
  // json_encode(…, JSON_UNESCAPED_UNICODE) with total_amount a float: built by hand to keep the number's text.
  return `{"product_code":${JSON.stringify(productCode)},"body":"","subject":${JSON.stringify(log.subject)},"total_amount":${phpFloat(log.amount)},"out_trade_no":${JSON.stringify(log.paymentNo)}}`;
}

/** `pageExecute()`: alipay.trade.page.pay, or wap.pay inside the Alipay app (product code unchanged: a CareyShop quirk). */
function alipayWeb(log: PaymentLog, userAgent: string, origin: string): string {
  const method = /alipay/i.test(userAgent) ? 'alipay.trade.wap.pay' : 'alipay.trade.page.pay';
  log.alipayMethod = method;
  const fields: [string, string][] = [
    ['biz_content', bizContent('FAST_INSTANT_TRADE_PAY', log)],
    ['app_id', ALIPAY_APP_ID],
    ['version', '1.0'],
    ['format', 'json'],
    ['sign_type', 'RSA2'],
    ['method', method],
    ['timestamp', beijingTime()],
    ['alipay_sdk', ALIPAY_SDK],
    ['notify_url', log.notifyUrl],
    ['return_url', log.returnUrl],
    ['charset', 'UTF-8'],
  ];
  const sign = rsaSign(canonicalQuery(Object.fromEntries(fields), ['sign']), sandboxKeys().app.privateKey);
  return alipayFormHtml(`${origin}${BASE}/alipay/gateway.do?charset=UTF-8`, [...fields, ['sign', sign]]);
}

/** `sdkExecute()`: the signed alipay.trade.app.pay order string, keys sorted, `http_build_query`. */
function alipayApp(log: PaymentLog): string {
  const params: Record<string, string> = {
    alipay_sdk: ALIPAY_SDK,
    app_id: ALIPAY_APP_ID,
    biz_content: bizContent('QUICK_MSECURITY_PAY', log),
    charset: 'UTF-8',
    format: 'json',
    method: 'alipay.trade.app.pay',
    notify_url: log.notifyUrl,
    sign_type: 'RSA2',
    timestamp: beijingTime(),
    version: '1.0',
  };
  const sign = rsaSign(canonicalQuery(params, ['sign']), sandboxKeys().app.privateKey);
  return Object.entries({ ...params, sign })
    .map(([key, value]) => `${key}=${phpUrlencode(value)}`)
    .join('&');
}

/** A unified order at WeChat: a prepay id, and for Native payments a `pr` code. */
function prepay(log: PaymentLog): { prepayId: string; codeUrl: string } {
  const prepayId = `wx${beijingTime().replace(/\D/g, '').slice(2)}${randomBytes(10).toString('hex')}`;
  const pr = randomBytes(7).toString('base64url').replace(/[-_]/g, 'x');
  channelRefs.set(prepayId, log.paymentNo);
  channelRefs.set(pr, log.paymentNo);
  return { prepayId, codeUrl: `weixin://wxpay/bizpayurl?pr=${pr}` };
}

/** `jsRequestExecute()`: the WeChat demo's heredoc, tabs and all, around `GetJsApiParameters()`. */
function wechatJsapiScript(parameters: string): string {
  return `\t<script type="text/javascript">
\t//调用微信JS api 支付
\tfunction jsApiCall()
\t{
\t\tWeixinJSBridge.invoke(
\t\t\t'getBrandWCPayRequest',${parameters},
\t\t\tfunction(res){
\t\t\t\t//WeixinJSBridge.log(res.err_msg);
\t\t\t\t if(res.err_msg === "get_brand_wcpay_request:ok") {
\t\t\t\t    location.href='/';
\t\t\t\t }else{
\t\t\t\t \t//alert(res.err_code+res.err_desc+res.err_msg);
\t\t\t\t    location.href='/';
\t\t\t\t }
\t\t\t}
\t\t)
\t}

\tfunction callpay()
\t{
\t\tif (typeof WeixinJSBridge == "undefined"){
\t\t    if( document.addEventListener ){
\t\t        document.addEventListener('WeixinJSBridgeReady', jsApiCall, false);
\t\t    }else if (document.attachEvent){
\t\t        document.attachEvent('WeixinJSBridgeReady', jsApiCall);
\t\t        document.attachEvent('onWeixinJSBridgeReady', jsApiCall);
\t\t    }
\t\t}else{
\t\t    jsApiCall();
\t\t}
\t}
\tcallpay();
\t</script>`;
}

function wechatWeb(log: PaymentLog, userAgent: string, origin: string): string {
  const { prepayId, codeUrl } = prepay(log);
  if (!/MicroMessenger/i.test(userAgent)) {
    // pcRequestExecute(): CareyShop's own QR renderer with text = urlencode(code_url).
    return `<img src="${origin}${BASE}/api/v1/qrcode/method/get.qrcode.item.html?text=${phpUrlencode(codeUrl)}"/>`;
  }
  // The real JSAPI branch first sends the browser through WeChat OAuth for an openid (§3.4); the
  // sandbox skips that round trip and prints the script as it looks afterwards.
  const params: Record<string, string> = {
    appId: WECHAT_APP_ID,
    timeStamp: String(Math.floor(Date.now() / 1000)),
    nonceStr: nonce(),
    package: `prepay_id=${prepayId}`,
    signType: 'MD5',
  };
  return wechatJsapiScript(JSON.stringify({ ...params, paySign: wechatSign(params, WECHAT_KEY) }));
}

/** `appRequestExecute()`: an object, although the docs say string; `timestamp` an integer. */
function wechatApp(log: PaymentLog): Record<string, string | number> {
  const { prepayId } = prepay(log);
  const token: Record<string, string | number> = {
    appid: WECHAT_APP_ID,
    partnerid: WECHAT_MCH_ID,
    prepayid: prepayId,
    noncestr: nonce(),
    timestamp: Math.floor(Date.now() / 1000),
    package: 'Sign=WXPay',
  };
  return { ...token, sign: wechatSign(token, WECHAT_KEY) };
}

/** `cod/ReturnUrl.php getSuccess()/getError()`: the query values are not URL-encoded. */
function codPage(log: PaymentLog, ok: boolean): string {
  const info = ok ? '支付结算完成' : '支付结算失败';
  const joiner = log.returnUrl.includes('?') ? '&' : '?';
  return `<head><meta http-equiv="refresh" content="0; url=${log.returnUrl}${joiner}info=${info}&payment_no=${log.paymentNo}"><title></title></head>`;
}

type Answer = { html: string } | { data: unknown };

/** `service/Payment.php createPaymentPay()`: the driver's answer for the log. */
function drive(log: PaymentLog, requestType: string, userAgent: string, origin: string, scenario: string): Answer {
  if (scenario === 'config-error') {
    throw new ApiError(500, log.toPayment === CODE_WECHAT ? '绑定支付的APPID不能为空' : '商户私钥不能为空');
  }
  if (log.toPayment === CODE_ALIPAY) {
    return requestType === 'app' ? { data: alipayApp(log) } : { html: alipayWeb(log, userAgent, origin) };
  }
  if (log.toPayment === CODE_WECHAT) {
    return requestType === 'app' ? { data: wechatApp(log) } : { html: wechatWeb(log, userAgent, origin) };
  }
  throw new ApiError(500, `\\payment\\x\\X支付模块不存在`);
}

// ---------------------------------------------------------------------------------------------
// The simulator's API entry: CareyShop's base controller, then the Payment model.

async function readParams(req: Request): Promise<Record<string, string>> {
  const params: Record<string, string> = Object.fromEntries(query(req));
  const text = await readText(req);
  const type = String(req.headers['content-type'] ?? '');
  if (/json|text\/plain/.test(type)) {
    try {
      const body: unknown = JSON.parse(text);
      if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
        for (const [key, value] of Object.entries(body)) {
          // `checkSign()` skips arrays, objects and nulls; numbers and strings sign as text.
          if (value !== null && typeof value !== 'object') params[key] = String(value);
        }
      }
    } catch {
      // A body that is not JSON carries no parameters.
    }
  } else {
    Object.assign(params, Object.fromEntries(new URLSearchParams(text)));
  }
  return params;
}

/** `CareyShop::checkToken()`: an empty token is a guest; a known one is re-derived and compared. */
function checkToken(token: string): string | true {
  if (token === '') return true;
  const row = TOKENS.get(token);
  if (!row) return '未授权或授权已过期';
  if (Date.now() / 1000 > row.expires) return 'token已过期';
  if (!sameSignature(token, careyshopToken(row.clientId, row.clientType, row.code))) return 'token错误';
  return true;
}

function checkRequest(params: Record<string, string>, scenario: string): void {
  const token = checkToken(tokenAs(scenario, params.token ?? ''));
  if (token !== true) throw new ApiError(401, token);
  // Both payment methods need a signed-in user: a guest fails `checkAuth()`.
  if (!params.token) throw new ApiError(403, '权限不足');
  if (params.appkey !== APPKEY) throw new ApiError(500, 'appkey已禁用或不存在');
  if (!params.sign) throw new ApiError(500, 'sign不存在');
  // `sign-error`: the app_secret was rotated in CareyShop's admin, the shop still signs with the old one.
  const secret = scenario === 'sign-error' ? `${APP_SECRET}-rotated` : APP_SECRET;
  if (!sameSignature(params.sign, careyshopSign(params, secret))) throw new ApiError(500, 'sign错误');
}

function checkRequestType(params: Record<string, string>, scenario: string): string {
  const requestType = params.request_type ?? '';
  if (requestType !== 'web' && requestType !== 'app') throw new ApiError(500, '请求来源必须在 web,app 范围内');
  // `app`: the shop's CareyShop client is set up as an app, which gets the SDK tokens.
  return scenario === 'app' ? 'app' : requestType;
}

function checkToPayment(params: Record<string, string>): number {
  if (!/^\d+$/.test(params.to_payment ?? '')) throw new ApiError(500, '支付方式必须是整数');
  return Number(params.to_payment);
}

function checkUrl(value: string | undefined, name: string): string {
  if (!value || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
    throw new ApiError(500, `${name}必须是有效的网址`);
  return value;
}

interface Call {
  params: Record<string, string>;
  scenario: string;
  userAgent: string;
  origin: string;
}

function newLog(call: Call, fields: Pick<PaymentLog, 'type' | 'orderNo' | 'amount' | 'toPayment' | 'subject'>) {
  const log: PaymentLog = {
    ...fields,
    paymentNo: newPaymentNo(),
    status: 0,
    attach: call.params.attach ?? '',
    notifyUrl: checkUrl(call.params.notify_url, 'notify_url'),
    returnUrl: checkUrl(call.params.return_url, 'return_url'),
  };
  logs.set(log.paymentNo, log);
  return log;
}

/** Settled inside CareyShop (`settleOrder()`), no channel involved: cash on delivery or account funds. */
function settledAtOnce(log: PaymentLog, ok: boolean): Answer {
  log.status = ok ? 1 : 2;
  if (ok && log.orderNo) paidOrders.add(log.orderNo);
  if (log.toPayment === CODE_COD) return { html: codPage(log, ok) };
  return { data: true };
}

/** The scenarios in which the shopper's CareyShop order is paid without a channel. */
function atOnce(call: Call, orderNo: string): Answer | undefined {
  const { scenario } = call;
  if (scenario !== 'cod' && scenario !== 'cod-error' && scenario !== 'settled') return undefined;
  const toPayment = scenario === 'settled' ? CODE_USER : CODE_COD;
  const log = newLog(call, { type: 1, orderNo, amount: 0, toPayment, subject: '订单付款' });
  return settledAtOnce(log, scenario !== 'cod-error');
}

/** `Payment::userPaymentPay()`. */
function userPaymentPay(call: Call): Answer {
  const { params, scenario } = call;
  const money = minorUnits(params.money ?? '');
  if (money === undefined || money < 1) throw new ApiError(500, '金额必须大于等于 0.01');
  const toPayment = checkToPayment(params);
  const requestType = checkRequestType(params, scenario);
  // `order-paid`, `cod`, `cod-error`, `settled`: the shopper's CareyShop order is what is being paid.
  if (scenario === 'order-paid') throw new ApiError(500, '订单已完成支付');
  const settled = atOnce(call, '');
  if (settled) return settled;
  const row = PAYMENTS[toPayment];
  // `method-unavailable`: the method is switched off in CareyShop's admin (status 0).
  if (!row?.isInpour || scenario === 'method-unavailable') throw new ApiError(500, '支付方式不可用');
  // `amount-changed`: the shopper's earlier ¥0.01 top-up (the API page's sample number) is what CareyShop resumes.
  if (scenario === 'amount-changed') throw new ApiError(500, '支付金额发生变化，请重新创建订单');
  let log: PaymentLog | undefined;
  if (params.payment_no) {
    log = logs.get(params.payment_no);
    if (log?.type !== 0 || log.status !== 0) throw new ApiError(500, '支付日志不存在或已完成');
    if (log.amount !== money) throw new ApiError(500, '支付金额发生变化，请重新创建订单');
    log.toPayment = toPayment;
    log.attach = params.attach ?? '';
    log.notifyUrl = checkUrl(params.notify_url, 'notify_url');
    log.returnUrl = checkUrl(params.return_url, 'return_url');
  }
  log ??= newLog(call, { type: 0, orderNo: '', amount: money, toPayment, subject: '账号充值' });
  return drive(log, requestType, call.userAgent, call.origin, scenario);
}

/**
 * `Payment::orderPaymentPay()`. The shop's order is also a CareyShop order (the shop places it
 * there): cash on delivery owes nothing now, and the sandbox shopper's balance covers any total.
 */
function orderPaymentPay(call: Call): Answer {
  const { params, scenario } = call;
  const toPayment = checkToPayment(params);
  checkRequestType(params, scenario);
  const orderNo = params.order_no ?? '';
  if (!orderNo) throw new ApiError(500, '订单不存在');
  if (paidOrders.has(orderNo) || scenario === 'order-paid') throw new ApiError(500, '订单已完成支付');
  const settled = atOnce(call, orderNo);
  if (settled) return settled;
  const row = PAYMENTS[toPayment];
  if (scenario === 'method-unavailable' || (toPayment !== CODE_USER && !row?.isPayment))
    throw new ApiError(500, '支付方式不可用');
  // The sandbox CareyShop has no order totals of its own: its channels are paid through top-ups.
  if (toPayment !== CODE_COD && toPayment !== CODE_USER) throw new ApiError(500, '订单不存在');
  const log = newLog(call, { type: 1, orderNo, amount: 0, toPayment, subject: '订单付款' });
  return settledAtOnce(log, true);
}

// ---------------------------------------------------------------------------------------------
// Settling: the simulated channel notifies, then sends the shopper back.

function newTradeNo(log: PaymentLog): string {
  // Alipay trade numbers start with the date; WeChat transaction ids with 4200000.
  return log.toPayment === CODE_WECHAT
    ? `4200000${digits(21)}`
    : `${beijingTime().replace(/\D/g, '').slice(0, 8)}22001${digits(15)}`;
}

async function notifyMerchant(log: PaymentLog, outcome: 'TRADE_SUCCESS' | 'TRADE_CLOSED'): Promise<void> {
  if (log.status !== 0) return;
  log.status = outcome === 'TRADE_SUCCESS' ? 1 : 2;
  log.tradeNo ??= newTradeNo(log);
  const now = beijingTime();
  const amount = decimal(log.amount);
  const params: Record<string, string> = {
    gmt_create: now,
    charset: 'UTF-8',
    seller_id: ALIPAY_SELLER_ID,
    subject: log.subject,
    buyer_id: '2088102177891234',
    invoice_amount: amount,
    notify_id: `2024${randomBytes(16).toString('hex')}`,
    notify_type: 'trade_status_sync',
    trade_status: outcome,
    receipt_amount: amount,
    app_id: ALIPAY_APP_ID,
    buyer_pay_amount: amount,
    notify_time: now,
    point_amount: '0.00',
    total_amount: amount,
    trade_no: log.tradeNo,
    auth_app_id: ALIPAY_APP_ID,
    out_trade_no: log.paymentNo,
    passback_params: log.attach,
    version: '1.0',
    ...(outcome === 'TRADE_SUCCESS' ? { gmt_payment: now } : { gmt_close: now }),
  };
  const sign = rsaSign(canonicalQuery(params, ['sign', 'sign_type']), sandboxKeys().alipay.privateKey);
  await fetch(log.notifyUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams({ ...params, sign, sign_type: 'RSA2' }),
  });
}

/** Alipay's synchronous return: the signed summary on the return URL. */
function alipayReturn(log: PaymentLog): string {
  const url = new URL(log.returnUrl);
  const params: Record<string, string> = {
    charset: 'UTF-8',
    out_trade_no: log.paymentNo,
    method: `${log.alipayMethod ?? 'alipay.trade.page.pay'}.return`,
    total_amount: decimal(log.amount),
    trade_no: log.tradeNo ?? '',
    auth_app_id: ALIPAY_APP_ID,
    version: '1.0',
    app_id: ALIPAY_APP_ID,
    seller_id: ALIPAY_SELLER_ID,
    timestamp: beijingTime(),
  };
  const sign = rsaSign(canonicalQuery(params, ['sign', 'sign_type']), sandboxKeys().alipay.privateKey);
  for (const [key, value] of Object.entries({ ...params, sign, sign_type: 'RSA2' })) url.searchParams.set(key, value);
  return url.href;
}

const ALIPAY_FORM_FIELDS = [
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
];

/** The sandbox "Alipay" gateway's checks of a page/wap pay form: the problem, or the payment. */
function checkAlipayForm(fields: Record<string, string>, charset: string | null): { error: string } | PaymentLog {
  const names = Object.keys(fields).sort();
  if (names.join() !== [...ALIPAY_FORM_FIELDS].sort().join()) return { error: 'missing-or-unexpected-parameter' };
  if (fields.app_id !== ALIPAY_APP_ID) return { error: 'invalid-app-id' };
  if (fields.method !== 'alipay.trade.page.pay' && fields.method !== 'alipay.trade.wap.pay')
    return { error: 'invalid-method' };
  if (fields.format !== 'json' || fields.version !== '1.0' || fields.sign_type !== 'RSA2')
    return { error: 'invalid-parameter' };
  if (fields.charset !== 'UTF-8' || charset !== 'UTF-8') return { error: 'invalid-charset' };
  if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(fields.timestamp ?? '')) return { error: 'invalid-timestamp' };
  for (const url of [fields.notify_url, fields.return_url]) {
    if (!URL.canParse(url ?? '') || !/^https?:$/.test(new URL(url ?? '').protocol)) return { error: 'invalid-url' };
  }
  if (!rsaVerify(canonicalQuery(fields, ['sign']), fields.sign, sandboxKeys().app.publicKey))
    return { error: 'invalid-signature' };
  const biz = fields.biz_content ?? '';
  let content: Record<string, unknown>;
  try {
    content = JSON.parse(biz) as Record<string, unknown>;
  } catch {
    return { error: 'invalid-biz-content' };
  }
  const log = logs.get(String(content.out_trade_no ?? ''));
  if (!log) return { error: 'trade-not-exist' };
  if (log.status !== 0) return { error: 'trade-has-success' };
  const total = /"total_amount":(\d+(?:\.\d+)?)[,}]/.exec(biz)?.[1] ?? '';
  if (content.product_code !== 'FAST_INSTANT_TRADE_PAY' || minorUnits(total) !== log.amount || !content.subject)
    return { error: 'invalid-biz-content' };
  return log;
}

function errorPage(code: string, reason: string): string {
  return page(
    '支付宝 · 错误',
    `<p class="sandbox-brand">Alipay <span>sandbox</span></p><h1>错误代码 ${escapeHtml(code)}</h1><p>${escapeHtml(reason)}</p>`,
    { brand: 'brand-alipay' },
  );
}

/** What a phone does with a code or an SDK token: the WeChat code, a prepay id or the Alipay order string. */
function findByContent(content: string): PaymentLog | undefined {
  const pr = /^weixin:\/\/wxpay\/bizpayurl\?pr=([^&]+)$/.exec(content)?.[1];
  if (pr) return logs.get(channelRefs.get(pr) ?? '');
  const prepayId = /^(?:prepay_id=)?(wx[0-9a-f]+)$/.exec(content)?.[1];
  if (prepayId) return logs.get(channelRefs.get(prepayId) ?? '');
  if (content.includes('biz_content=')) {
    // The Alipay app checks the order string's signature before it pays.
    const params = Object.fromEntries(new URLSearchParams(content));
    if (!rsaVerify(canonicalQuery(params, ['sign']), params.sign, sandboxKeys().app.publicKey)) return undefined;
    try {
      const biz = JSON.parse(params.biz_content ?? '') as { out_trade_no?: unknown };
      return logs.get(String(biz.out_trade_no ?? ''));
    } catch {
      return undefined;
    }
  }
  return logs.get(content);
}

const SCENARIOS = [
  {
    id: 'web',
    label: 'request_type=web, as the browser decides (Alipay form; WeChat QR <img>, or JSAPI inside WeChat)',
    expect: 'form | qr | wechat-jsapi',
  },
  { id: 'app', label: 'request_type=app: SDK token (Alipay order string, WeChat object)', expect: 'sdk-token' },
  { id: 'cod', label: 'order.payment.pay, cash on delivery: refresh to payment.success', expect: 'redirect' },
  { id: 'cod-error', label: 'order.payment.pay, cash on delivery: refresh to payment.error', expect: 'redirect' },
  { id: 'settled', label: 'order.payment.pay with account funds: data:true', expect: 'success' },
  { id: 'method-unavailable', label: '500 支付方式不可用', expect: 'failed' },
  { id: 'amount-changed', label: '500 支付金额发生变化，请重新创建订单 (resumed payment_no)', expect: 'failed' },
  { id: 'order-paid', label: '500 订单已完成支付 (order.payment.pay)', expect: 'failed' },
  { id: 'config-error', label: '500 driver configuration (商户私钥不能为空)', expect: 'failed' },
  { id: 'token-expired', label: '401 token已过期', expect: 'failed' },
  { id: 'token-error', label: '401 token错误', expect: 'failed' },
  { id: 'unauthorized', label: '401 未授权或授权已过期', expect: 'failed' },
  { id: 'sign-error', label: '500 sign错误 (request signed with the wrong app_secret)', expect: 'failed' },
] as const;

/** The prepay id inside WeChat's `package` (`prepay_id=wx…`). */
function prepayIdOf(value: string): string {
  return value.replace(/^prepay_id=/, '');
}

/** What the WeChat sheet does: `ok` pays, `fail` closes, `cancel` leaves the payment open. */
async function confirmJsapi(prepayId: string, outcome: string): Promise<string | undefined> {
  const log = logs.get(channelRefs.get(prepayIdOf(prepayId)) ?? '');
  if (!log) return undefined;
  if (outcome === 'ok' || outcome === 'pay') {
    await notifyMerchant(log, 'TRADE_SUCCESS');
    return 'get_brand_wcpay_request:ok';
  }
  if (outcome === 'fail') {
    await notifyMerchant(log, 'TRADE_CLOSED');
    return 'get_brand_wcpay_request:fail';
  }
  return 'get_brand_wcpay_request:cancel';
}

/** An app token as the phone pays it: the Alipay order string, or the WeChat object's prepay id. */
function scanContentOf(token: unknown): string {
  if (typeof token === 'string') return token;
  const fields = (token ?? {}) as Record<string, unknown>;
  return String(fields.prepayid ?? fields.prepayId ?? fields.orderInfo ?? '');
}

export const careyshopSimulator: Simulator = {
  id: 'careyshop',
  label: 'CareyShop (user.payment.pay)',
  methods: ['alipay', 'wxpay', 'cod', 'balance'],
  scenarios: SCENARIOS,

  async confirmWechat(params, outcome) {
    await confirmJsapi(params.package ?? '', outcome);
  },

  async confirmApp(token, outcome) {
    if (outcome !== 'success') return;
    const log = findByContent(scanContentOf(token));
    if (log) await notifyMerchant(log, 'TRADE_SUCCESS');
  },

  routes(router: Router, board: ScenarioBoard) {
    const api = (apiMethod: 'user.payment.pay' | 'order.payment.pay') => async (req: Request, res: ServerResponse) => {
      const params: Record<string, string> = { ...(await readParams(req)), method: apiMethod };
      const scenario = board.of(params.attach ?? params.order_no, 'web');
      const call: Call = {
        params,
        scenario,
        userAgent: String(req.headers['user-agent'] ?? ''),
        origin: originOf(req),
      };
      try {
        checkRequest(params, scenario);
        const answer = apiMethod === 'user.payment.pay' ? userPaymentPay(call) : orderPaymentPay(call);
        // `ApiOutput::outPut`: a driver's view is printed bare; anything else is the JSON envelope.
        if ('html' in answer) return sendHtml(res, 200, answer.html);
        return sendJson(res, 200, { status: 200, message: 'success', data: answer.data });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        // Plain HTTP: CareyShop answers 200 whatever `status` says (§3.3).
        return sendJson(res, 200, { status: error.status, message: error.message, data: null });
      }
    };
    for (const verb of ['GET', 'POST']) {
      router.on(verb, `${API}/user.payment.pay`, api('user.payment.pay'));
      router.on(verb, `${API}/order.payment.pay`, api('order.payment.pay'));
    }

    // `get.payment.log.list`: the signed-in user's payment logs, here filtered by the shop's `attach`.
    router.on('POST', `${LOG_API}/get.payment.log.list`, async (req, res) => {
      const params: Record<string, string> = { ...(await readParams(req)), method: 'get.payment.log.list' };
      try {
        checkRequest(params, 'web');
        const items = [...logs.values()]
          .filter((log) => params.attach && log.attach === params.attach)
          .reverse()
          .slice(0, Number(params.page_size) || 20)
          .map((log) => ({
            payment_no: log.paymentNo,
            order_no: log.orderNo,
            amount: decimal(log.amount),
            type: log.type,
            status: log.status,
            to_payment: log.toPayment,
            out_trade_no: log.tradeNo ?? '',
          }));
        return sendJson(res, 200, { status: 200, message: 'success', data: { items, total_result: items.length } });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        return sendJson(res, 200, { status: error.status, message: error.message, data: null });
      }
    });

    // CareyShop's QR renderer (`get.qrcode.item`): the image the <img> would show. The widget never
    // loads it; it draws the code from `text` itself.
    router.on('GET', `${BASE}/api/v1/qrcode/method/get.qrcode.item.html`, (req, res) => {
      const text = query(req).get('text') ?? '';
      QRCode.toString(text, { type: 'svg' }).then(
        (image) => {
          res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-store' });
          res.end(image);
        },
        () => sendJson(res, 200, { status: 500, message: '二维码生成失败', data: null }),
      );
    });

    // The sandbox "Alipay" gateway: the form's target checks every field and the RSA2 signature.
    router.on('POST', `${BASE}/alipay/gateway.do`, async (req, res) => {
      const checked = checkAlipayForm(await readForm(req), query(req).get('charset'));
      if ('error' in checked) {
        const reason =
          checked.error === 'invalid-signature'
            ? '验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配'
            : 'The payment request arrived incomplete or altered.';
        return sendHtml(res, 400, errorPage(checked.error, reason));
      }
      const log = checked;
      const action = `${BASE}/alipay/decide/${log.paymentNo}`;
      return sendHtml(
        res,
        200,
        cashierPage({
          gateway: 'Alipay',
          brand: 'brand-alipay',
          title: log.subject,
          amount: `¥${decimal(log.amount)}`,
          reference: log.paymentNo,
          details: { Method: log.alipayMethod ?? '', Merchant: 'CareyShop' },
          decisions: [
            { label: 'Pay', action, fields: { outcome: 'pay' }, kind: 'primary' },
            { label: 'Fail', action, fields: { outcome: 'fail' } },
            { label: 'Cancel', action, fields: { outcome: 'cancel' } },
          ],
        }),
      );
    });

    router.on('POST', `${BASE}/alipay/decide/:paymentNo`, async (req, res, params) => {
      const log = logs.get(params.paymentNo ?? '');
      if (!log) return sendHtml(res, 404, errorPage('trade-not-exist', 'No such trade.'));
      const { outcome } = await readForm(req);
      if (outcome === 'pay') {
        await notifyMerchant(log, 'TRADE_SUCCESS');
        return redirect(res, alipayReturn(log));
      }
      if (outcome === 'fail') await notifyMerchant(log, 'TRADE_CLOSED');
      return redirect(res, log.returnUrl);
    });

    // "Scan": what a phone does with the WeChat code (or an app token), for the gallery's button.
    router.on('POST', `${BASE}/scan`, async (req, res) => {
      const { content } = await readForm(req);
      const log = findByContent(content ?? '');
      if (!log) return sendJson(res, 404, { error: 'no payment for that code' });
      if (log.status !== 0) return sendJson(res, 409, { error: 'the payment is already settled' });
      await notifyMerchant(log, 'TRADE_SUCCESS');
      return sendJson(res, 200, { paid: log.paymentNo });
    });

    // The gallery's simulated WeixinJSBridge: `{prepay_id, outcome: ok | fail | cancel}`, answered
    // with the `err_msg` the real bridge would hand to the callback.
    router.on('POST', `${BASE}/jsapi/confirm`, async (req, res) => {
      const body = await readJson(req);
      const errMsg = await confirmJsapi(String(body.prepay_id ?? ''), String(body.outcome ?? ''));
      if (!errMsg) return sendJson(res, 404, { err_msg: 'get_brand_wcpay_request:fail', error: 'no such prepay_id' });
      return sendJson(res, 200, { err_msg: errMsg });
    });
  },
};
