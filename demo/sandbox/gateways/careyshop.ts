/**
 * CareyShop `user.payment.pay` / `order.payment.pay`, seed 002 and GATEWAYS.md §3: both halves.
 *
 * Merchant side: POST form-urlencoded to `/api/v1/payment/method/user.payment.pay/` (or
 * `order.payment.pay` for cash on delivery and account funds) with CareyShop's public parameters
 * (`appkey`, `token`, `timestamp`, `format`, `method`) and its MD5 signature
 * (`md5(app_secret + k1v1k2v2… + app_secret)` over the sorted parameters), forwarding the shopper's
 * User-Agent because CareyShop picks the form, QR or JSAPI answer from it (§3.4). Sandbox-only
 * request headers, which the real CareyShop has no use for:
 * - `X-Sandbox-Scenario`: the gallery's scenario, which tells the simulator what state its
 *   database is in (a payment method switched off, an order already paid, a driver without keys);
 * - `X-Sandbox-Return-Url`: where the shopper comes back to. Real CareyShop sends the shopper to its
 *   own `put.payment.data` return handler and then to the `payment.success` setting; the sandbox
 *   uses the widget's return URL for both.
 * One sandbox-only response header comes back: `X-Sandbox-Payment-No`, the CareyShop payment number
 * (`ZF_…`). Real CareyShop never hands it to the caller of a web payment: its own notify handler
 * knows it. The sandbox backend stands in for that handler, so it needs the number to match the
 * notify to the order.
 *
 * Simulator: checks the token (401 `token错误`, `token已过期`, `未授权或授权已过期`), the appkey
 * and the signature (500 `sign错误`) in CareyShop's own order, then answers exactly as the drivers
 * print: the auto-submitting Alipay form (page.pay, or wap.pay inside the Alipay app) signed RSA2
 * with the app's key, the WeChat QR `<img>` of CareyShop's QR renderer, the WeChat JSAPI script, the
 * app tokens as JSON, the cash-on-delivery refresh page, `data:true`, or an error envelope. Always
 * HTTP 200: CareyShop's `outPut` forces it on plain HTTP (§3.3).
 *
 * Notify: CareyShop's real notify comes from Alipay or WeChat into CareyShop itself. The sandbox
 * sends it on as Alipay's asynchronous notify for both channels (form-encoded,
 * `trade_status=TRADE_SUCCESS` or `TRADE_CLOSED`, RSA2 `sign` + `sign_type=RSA2` with the sandbox
 * "Alipay" key) to `/api/notify/careyshop`, answered `success`.
 */

import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import QRCode from 'qrcode';
import { bridges } from '../bridges.js';
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
import { cashierPage, decimal, page } from '../pages.js';
import {
  canonicalQuery,
  type KeyPair,
  md5,
  newKeyPair,
  rsaSign,
  rsaVerify,
  sameSignature,
  wechatSign,
} from '../signing.js';
import type { Order, Store } from '../store.js';
import type { Client, GatewayModule, MerchantCreateInput, NotifyResult, SandboxContext } from '../types.js';

const BASE = '/gw/careyshop';
const API = `${BASE}/api/v1/payment/method`;

/** The merchant's CareyShop app (`get.app.list`): its appkey and app_secret. */
const APPKEY = '86757125';
const APP_SECRET = 'sandbox-careyshop-secret-5d1e9a';
/** The Alipay app CareyShop's Alipay driver is configured with, and its seller id. */
const ALIPAY_APP_ID = '2021000118600001';
const ALIPAY_SELLER_ID = '2088102177846880';
const ALIPAY_SDK = 'alipay-sdk-PHP-4.11.14.ALL';
/** CareyShop's WeChat driver configuration: app id, merchant id and the API key for MD5 signatures. */
const WECHAT_APP_ID = 'wx5d1e9a0b7c3f2468';
const WECHAT_MCH_ID = '1900000109';
const WECHAT_KEY = 'SandboxWechatApiKey0123456789abc';

const SCENARIO_HEADER = 'x-sandbox-scenario';
const RETURN_HEADER = 'x-sandbox-return-url';
const PAYMENT_NO_HEADER = 'x-sandbox-payment-no';

const CODE_USER = 0;
const CODE_COD = 1;
const CODE_ALIPAY = 2;
const CODE_WECHAT = 3;

/** `to_payment` for the gallery's methods (`model/Payment.php` codes). */
const TO_PAYMENT: Record<string, number> = {
  alipay: CODE_ALIPAY,
  wxpay: CODE_WECHAT,
  cod: CODE_COD,
  balance: CODE_USER,
};

/**
 * The Alipay key pairs, made on first use: the app's (CareyShop signs requests, the sandbox
 * "Alipay" verifies them) and Alipay's own (it signs notifies, the merchant side verifies them).
 */
let keys: { app: KeyPair; alipay: KeyPair } | undefined;
function sandboxKeys(): { app: KeyPair; alipay: KeyPair } {
  keys ??= { app: newKeyPair(), alipay: newKeyPair() };
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Shared knowledge: tokens CareyShop issued at login (`login.user.user`), which the merchant
// backend saved for the sandbox shopper.

/** CareyShop's `user_md5()`: md5 of the sha1. */
function userMd5(text: string): string {
  return md5(createHash('sha1').update(text, 'utf8').digest('hex'));
}

/** `user_md5(client_id . client_type . code)`: how CareyShop makes, and re-checks, a token. */
function tokenOf(clientId: number, clientType: number, code: string): string {
  return userMd5(`${clientId}${clientType}${code}`);
}

const ISSUED = {
  current: tokenOf(1, 0, 'sandbox-login-current'),
  expired: tokenOf(1, 0, 'sandbox-login-2019'),
  /** Issued before the shopper logged in again elsewhere, which gave the row a new code. */
  superseded: tokenOf(1, 0, 'sandbox-login-before'),
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

/** CareyShop's API signature (`checkSign()`): md5(secret + k1v1k2v2… + secret), keys in ASCII order. */
function careyshopSign(params: Record<string, string>, secret: string): string {
  const text = Object.keys(params)
    .filter((key) => key !== 'sign' && key !== '')
    .sort()
    .map((key) => `${key}${params[key]}`)
    .join('');
  return md5(`${secret}${text}${secret}`);
}

// ---------------------------------------------------------------------------------------------
// The simulator's database: CareyShop's payment logs and its `token` table.

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

/**
 * A top-up the sandbox shopper started earlier for ¥0.01 and never paid (seed 002's own payment
 * number). The `amount-changed` scenario resumes it with the order's amount.
 */
const STALE_PAYMENT_NO = 'ZF_I6049447479650480001';
logs.set(STALE_PAYMENT_NO, {
  paymentNo: STALE_PAYMENT_NO,
  type: 0,
  orderNo: '',
  amount: 1,
  status: 0,
  toPayment: CODE_ALIPAY,
  subject: '账号充值',
  notifyUrl: '',
  returnUrl: '',
});

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
  if (!sameSignature(token, tokenOf(row.clientId, row.clientType, row.code))) return 'token错误';
  return true;
}

function checkRequest(params: Record<string, string>): void {
  const token = checkToken(params.token ?? '');
  if (token !== true) throw new ApiError(401, token);
  // Both payment methods need a signed-in user: a guest fails `checkAuth()`.
  if (!params.token) throw new ApiError(403, '权限不足');
  if (params.appkey !== APPKEY) throw new ApiError(500, 'appkey已禁用或不存在');
  if (!params.sign) throw new ApiError(500, 'sign不存在');
  if (!sameSignature(params.sign, careyshopSign(params, APP_SECRET))) throw new ApiError(500, 'sign错误');
}

function checkRequestType(params: Record<string, string>): string {
  const requestType = params.request_type ?? '';
  if (requestType !== 'web' && requestType !== 'app') throw new ApiError(500, '请求来源必须在 web,app 范围内');
  return requestType;
}

function checkToPayment(params: Record<string, string>): number {
  if (!/^\d+$/.test(params.to_payment ?? '')) throw new ApiError(500, '支付方式必须是整数');
  return Number(params.to_payment);
}

interface Call {
  params: Record<string, string>;
  scenario: string;
  userAgent: string;
  origin: string;
  returnUrl: string;
  store: Store;
}

function newLog(call: Call, fields: Pick<PaymentLog, 'type' | 'orderNo' | 'amount' | 'toPayment' | 'subject'>) {
  const log: PaymentLog = {
    ...fields,
    paymentNo: newPaymentNo(),
    status: 0,
    notifyUrl: `${call.origin}/api/notify/careyshop`,
    returnUrl: call.returnUrl,
  };
  logs.set(log.paymentNo, log);
  return log;
}

/** `Payment::userPaymentPay()`. */
function userPaymentPay(call: Call): { log: PaymentLog; answer: Answer } {
  const { params, scenario } = call;
  const money = minorUnits(params.money ?? '');
  if (money === undefined || money < 1) throw new ApiError(500, '金额必须大于等于 0.01');
  const toPayment = checkToPayment(params);
  const requestType = checkRequestType(params);
  const row = PAYMENTS[toPayment];
  // `method-unavailable`: the method is switched off in CareyShop's admin (status 0).
  if (!row?.isInpour || scenario === 'method-unavailable') throw new ApiError(500, '支付方式不可用');
  let log: PaymentLog | undefined;
  if (params.payment_no) {
    log = logs.get(params.payment_no);
    if (log?.type !== 0 || log.status !== 0) throw new ApiError(500, '支付日志不存在或已完成');
    if (log.amount !== money) throw new ApiError(500, '支付金额发生变化，请重新创建订单');
    log.toPayment = toPayment;
    log.returnUrl = call.returnUrl;
  }
  log ??= newLog(call, { type: 0, orderNo: '', amount: money, toPayment, subject: '账号充值' });
  return { log, answer: drive(log, requestType, call.userAgent, call.origin, scenario) };
}

/** `Payment::orderPaymentPay()`: CareyShop's orders are the sandbox store's. */
function orderPaymentPay(call: Call): { log: PaymentLog; answer: Answer } {
  const { params, scenario } = call;
  const toPayment = checkToPayment(params);
  const requestType = checkRequestType(params);
  const order = call.store.get(params.order_no ?? '');
  if (!order) throw new ApiError(500, '订单不存在');
  if (order.status === 'canceled' || order.status === 'expired') throw new ApiError(500, '订单不可支付');
  // `order-paid`: CareyShop's copy of the order already has payment_status 1.
  if (order.status === 'paid' || scenario === 'order-paid') throw new ApiError(500, '订单已完成支付');
  // Cash on delivery owes nothing now; with account funds the sandbox shopper's balance covered the total.
  const amount = toPayment === CODE_COD || toPayment === CODE_USER ? 0 : order.amount;
  const log = newLog(call, { type: 1, orderNo: order.orderId, amount, toPayment, subject: '订单付款' });
  if (amount === 0) {
    // Settled inside CareyShop (`settleOrder()`), no channel involved.
    const ok = scenario !== 'cod-error';
    log.status = ok ? 1 : 2;
    if (toPayment === CODE_COD) return { log, answer: { html: codPage(log, ok) } };
    return { log, answer: { data: true } };
  }
  const row = PAYMENTS[toPayment];
  if (!row?.isPayment || scenario === 'method-unavailable') throw new ApiError(500, '支付方式不可用');
  return { log, answer: drive(log, requestType, call.userAgent, call.origin, scenario) };
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

// ---------------------------------------------------------------------------------------------
// The merchant side.

/**
 * The User-Agent CareyShop sees. A real backend forwards the shopper's untouched; the gallery
 * also plays "inside WeChat" or "inside Alipay" from a desktop browser, so the marker the client
 * type stands for is added when the browser's own UA lacks it.
 */
function shopperAgent(userAgent: string, client: Client): string {
  if (client.type === 'wechat' && !/MicroMessenger/i.test(userAgent)) return `${userAgent} MicroMessenger/8.0.49`;
  if (client.type === 'alipay' && !/AlipayClient/i.test(userAgent)) return `${userAgent} AlipayClient/10.5.0`;
  return userAgent;
}

/** Which token the merchant backend holds for the shopper in each scenario. */
function sessionToken(scenario: string): string {
  if (scenario === 'token-expired') return ISSUED.expired;
  if (scenario === 'token-error') return ISSUED.superseded;
  if (scenario === 'unauthorized') return ISSUED.never;
  return ISSUED.current;
}

/**
 * Settles an order CareyShop settled synchronously (cash on delivery, account funds). The backend
 * reopens a failed order before it calls create, so a settlement made inside create stands.
 */
function settleInCreate(ctx: SandboxContext, order: Order, status: 'paid' | 'failed', message?: string): void {
  ctx.store.settle(order, status, message ? 'COD' : undefined, message);
}

const ORDER_SCENARIOS = ['cod', 'cod-error', 'settled', 'order-paid'];

function toPaymentOf(scenario: string, method: string): number {
  if (scenario === 'cod' || scenario === 'cod-error') return CODE_COD;
  if (scenario === 'settled') return CODE_USER;
  return TO_PAYMENT[method] ?? CODE_ALIPAY;
}

/** Orders go through order.payment.pay where CareyShop settles them itself; card channels top up via user.payment.pay. */
function apiMethodOf(scenario: string, toPayment: number): string {
  return ORDER_SCENARIOS.includes(scenario) || toPayment === CODE_COD || toPayment === CODE_USER
    ? 'order.payment.pay'
    : 'user.payment.pay';
}

function withOrderId(returnUrl: string, orderId: string): string {
  const url = new URL(returnUrl);
  url.searchParams.set('orderId', orderId);
  return url.href;
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

export const careyshop: GatewayModule = {
  confirmWechat: (params, outcome, ctx) => bridges.careyshopWechat(params, outcome, ctx),
  confirmApp: (token, outcome, ctx) => bridges.scan('careyshop', token, outcome, ctx),
  id: 'careyshop',
  label: 'CareyShop (user.payment.pay)',
  methods: ['alipay', 'wxpay', 'cod', 'balance'],
  scenarios: SCENARIOS,

  async create(input: MerchantCreateInput, ctx: SandboxContext) {
    const { order, method, client } = input;
    const scenario = order.scenario;
    const toPayment = toPaymentOf(scenario, method);
    const apiMethod = apiMethodOf(scenario, toPayment);
    const business: Record<string, string> =
      apiMethod === 'order.payment.pay'
        ? { order_no: order.orderId, to_payment: String(toPayment) }
        : { money: decimal(order.amount), to_payment: String(toPayment) };
    business.request_type = scenario === 'app' ? 'app' : 'web';
    if (apiMethod === 'user.payment.pay') {
      // Seed 002, note 2: an unfinished payment is resumed with its payment_no rather than started again.
      const earlier = [...order.attempts.values()]
        .reverse()
        .find((a) => (a.method === 'alipay' || a.method === 'wxpay') && a.reference.startsWith('ZF_'));
      if (scenario === 'amount-changed') business.payment_no = STALE_PAYMENT_NO;
      else if (earlier && order.status === 'pending') business.payment_no = earlier.reference;
    }
    const params: Record<string, string> = {
      appkey: APPKEY,
      token: sessionToken(scenario),
      timestamp: String(Math.floor(Date.now() / 1000)),
      format: 'json',
      // PATH_INFO puts `method` in the URL; CareyShop still reads and signs it as a parameter.
      method: apiMethod,
      ...business,
    };
    const { method: _inPath, ...body } = params;
    const secret = scenario === 'sign-error' ? `${APP_SECRET}-rotated` : APP_SECRET;
    const response = await fetch(`${ctx.origin}${API}/${apiMethod}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': shopperAgent(input.userAgent, client),
        [SCENARIO_HEADER]: scenario,
        [RETURN_HEADER]: withOrderId(input.returnUrl, order.orderId),
      },
      body: new URLSearchParams({ ...body, sign: careyshopSign(params, secret) }),
    });
    const paymentNo = response.headers.get(PAYMENT_NO_HEADER);
    const reference = paymentNo ?? `${order.orderId}-${order.attempts.size + 1}`;
    if ((response.headers.get('content-type') ?? '').includes('text/html')) {
      // Raw HTML, no envelope (§3.2): passed to the browser as text.
      const html = await response.text();
      // Cash on delivery is settled by the time CareyShop answers; the refresh says how.
      if (html.includes('http-equiv="refresh"')) {
        const ok = html.includes('info=支付结算完成');
        settleInCreate(ctx, order, ok ? 'paid' : 'failed', ok ? '支付结算完成' : '支付结算失败');
      }
      return { response: html, reference };
    }
    const answer = (await response.json()) as { status?: unknown; data?: unknown };
    // Account funds: CareyShop settled the order itself.
    if (answer.status === 200 && answer.data === true) settleInCreate(ctx, order, 'paid');
    return { response: answer, reference };
  },

  async verifyNotify(req: Request, res: ServerResponse, ctx: SandboxContext): Promise<NotifyResult | undefined> {
    const params = await readForm(req);
    const fail = () => {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('fail');
      return undefined;
    };
    if (
      params.sign_type !== 'RSA2' ||
      params.app_id !== ALIPAY_APP_ID ||
      !rsaVerify(canonicalQuery(params, ['sign', 'sign_type']), params.sign, sandboxKeys().alipay.publicKey)
    ) {
      return fail();
    }
    const order = ctx.store.byReference(params.out_trade_no ?? '');
    // The notify must be for what this order owes, not only for a payment number it knows.
    if (!order || params.total_amount !== decimal(order.amount)) return fail();
    res.writeHead(200, { 'content-type': 'text/plain' }).end('success');
    const references = [params.out_trade_no ?? ''];
    if (params.trade_status === 'TRADE_SUCCESS' || params.trade_status === 'TRADE_FINISHED') {
      return { orderId: order.orderId, status: 'paid', references };
    }
    if (params.trade_status === 'TRADE_CLOSED') {
      return { orderId: order.orderId, status: 'failed', code: 'TRADE_CLOSED', message: '交易关闭', references };
    }
    return undefined;
  },

  routes(router: Router, store: Store) {
    const api = (apiMethod: 'user.payment.pay' | 'order.payment.pay') => async (req: Request, res: ServerResponse) => {
      const origin = originOf(req);
      const params = { ...(await readParams(req)), method: apiMethod };
      const scenario = String(req.headers[SCENARIO_HEADER] ?? 'web');
      const returnHeader = String(req.headers[RETURN_HEADER] ?? '');
      const call: Call = {
        params,
        scenario,
        userAgent: String(req.headers['user-agent'] ?? ''),
        origin,
        returnUrl: URL.canParse(returnHeader) ? returnHeader : `${origin}/api/return`,
        store,
      };
      try {
        checkRequest(params);
        const { log, answer } = apiMethod === 'user.payment.pay' ? userPaymentPay(call) : orderPaymentPay(call);
        res.setHeader(PAYMENT_NO_HEADER, log.paymentNo);
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
      // Not a JSON object: no prepay id, answered below.
      const body = await readJson(req);
      const prepayId = String(body.prepay_id ?? '').replace(/^prepay_id=/, '');
      const log = logs.get(channelRefs.get(prepayId) ?? '');
      if (!log) return sendJson(res, 404, { err_msg: 'get_brand_wcpay_request:fail', error: 'no such prepay_id' });
      const outcome = String(body.outcome ?? '');
      if (outcome === 'ok' || outcome === 'pay') {
        await notifyMerchant(log, 'TRADE_SUCCESS');
        return sendJson(res, 200, { err_msg: 'get_brand_wcpay_request:ok' });
      }
      if (outcome === 'fail') {
        await notifyMerchant(log, 'TRADE_CLOSED');
        return sendJson(res, 200, { err_msg: 'get_brand_wcpay_request:fail' });
      }
      return sendJson(res, 200, { err_msg: 'get_brand_wcpay_request:cancel' });
    });
  },
};
