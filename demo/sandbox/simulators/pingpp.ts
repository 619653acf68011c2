/**
 * The Ping++ simulator (the shop API sampled as `pingppSeed` in test/fixtures/seeds.ts): Ping++ in test mode (`livemode:false`). It checks
 * the secret key and the request signature, answers a snake_case charge whose `credential` holds what
 * §1.3 documents for the channel, and hosts stand-ins for the channels' pages: an Alipay cashier
 * (mapi 1.0, openapi 2.0 and the legacy `req_data` service, each checking the RSA signature of the
 * query it receives), the wx.tenpay.com H5 page, a UnionPay front-transaction target, a phone page for
 * Alipay QR codes, a scan endpoint and the WeChat JSAPI bridge's confirm. Paying sends the signed
 * `charge.succeeded` webhook to the URL set in the (simulated) dashboard: the shop's notify URL.
 *
 * The gallery's scenario (`board.of(order_no)`) is how this simulated Ping++ app is set up, never
 * something the merchant sends: a scenario named after a channel (`wx_pub_qr`, `alipay_wap-openapi`,
 * …) is the channel the charge is made on, whatever the merchant asked for; the part after `-` is how
 * the channel is configured (Alipay API version, wx_wap credential shape). `wxpub` answers the charge
 * as that sample shows it (camelCase, `wxpub`); `bad-key` answers as if the merchant's key were wrong;
 * `channel-error` and `charge-failed` are the channel refusing the charge.
 */

import { createHash, type KeyObject, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { canonicalQuery, decimal, rsaSign, rsaVerify, sameSignature } from '../../../src/server/signing.js';
import { PINGPP, pingppKeys } from '../credentials.js';
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
import { newKeyPair, wechatSign } from '../signing.js';
import type { ScenarioBoard } from './board.js';
import type { Simulator } from './types.js';

const BASE = '/gw/pingpp';
const { secretKey: SECRET_KEY, appId: APP_ID } = PINGPP;
/** The key a misconfigured merchant would send: what the `bad-key` scenario answers as if it got. */
const WRONG_KEY = 'sk_test_Wr0ngKeyWr0ngKeyWr0ngK';
/** The webhook URL when the simulated dashboard has none set: the shop's notify path, on the origin it calls from. */
const WEBHOOK_PATH = '/api/notify/pingpp';

/** The channel accounts configured in the simulated Ping++ app (sandbox values). */
const WX_APP_ID = 'wxd1b8f3a7c4e9a5b2';
const WX_MCH_ID = '1230000109';
const WX_API_KEY = 'sbxWeChatPayApiKey0123456789abcd';
const ALIPAY_PID = '2088101568358171';
const ALIPAY_APP_ID = '2016072900117068';
const UNIONPAY_MER_ID = '777290058110048';
const UNIONPAY_CERT_ID = '69629715588';

/** The channels' own key pairs, held by Ping++ and the channels (made on first use). */
function lazyKeyPair(): () => { publicKey: KeyObject; privateKey: KeyObject } {
  let pair: { publicKey: KeyObject; privateKey: KeyObject } | undefined;
  return () => {
    pair ??= newKeyPair();
    return pair;
  };
}
/** The merchant's Alipay app key, held by Ping++ to sign credentials; Alipay holds the public half. */
const alipayAppKey = lazyKeyPair();
/** Alipay's own key, for the parameters it appends to the return URL. */
const alipayKey = lazyKeyPair();
/** The merchant's UnionPay signing certificate, held by Ping++. */
const unionpayKey = lazyKeyPair();

const CHANNELS = [
  'alipay_pc_direct',
  'alipay_wap',
  'alipay_qr',
  'alipay',
  'wx_pub',
  'wx_pub_qr',
  'wx_wap',
  'wx',
  'wx_lite',
  'alipay_lite',
  'upacp_wap',
  'upacp_pc',
  'balance',
] as const;
type Channel = (typeof CHANNELS)[number];

interface Charge {
  id: string;
  object: 'charge';
  created: number;
  livemode: boolean;
  paid: boolean;
  refunded: boolean;
  app: string;
  channel: Channel;
  order_no: string;
  client_ip: string;
  amount: number;
  amount_settle: number;
  currency: string;
  subject: string;
  body: string;
  extra: Record<string, unknown>;
  time_paid: number | null;
  time_expire: number;
  time_settle: number | null;
  transaction_no: string | null;
  refunds: { object: 'list'; url: string; has_more: boolean; data: unknown[] };
  amount_refunded: number;
  failure_code: string | null;
  failure_msg: string | null;
  metadata: Record<string, unknown>;
  credential: Record<string, unknown>;
  description: string | null;
}

interface Delivery {
  event_id: string;
  body: string;
  signature: string;
  /** The merchant's HTTP answer; 0 while in flight, -1 when it could not be reached. */
  status: number;
}

interface ChargeRecord {
  charge: Charge;
  /** How the simulated app is configured for the channel: `openapi`, `legacy`, `object` or ''. */
  variant: string;
  /** Where the channel page sends the shopper after paying (success_url / result_url); '' for none. */
  returnUrl: string;
  cancelUrl: string;
  /** Where its webhook goes: the dashboard's webhook URL, on the origin the charge was created from. */
  webhookUrl: string;
  deliveries: Delivery[];
}

const charges = new Map<string, ChargeRecord>();
/** What a phone, a host app or a channel page presents (QR content, token, prepay id, trade number) → charge id. */
const codes = new Map<string, string>();

// ---------------------------------------------------------------------------------------------
// Small helpers

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomId(length: number): string {
  return Array.from(randomBytes(length), (byte) => ALPHABET.charAt(byte % ALPHABET.length)).join('');
}

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** Beijing time (the channels' clock): `YYYY-MM-DD HH:mm:ss`. */
function beijingTime(seconds: number): string {
  const iso = new Date((seconds + 8 * 3600) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** Beijing time as UnionPay and WeChat write it: `YYYYMMDDHHmmss`. */
function beijingCompact(seconds: number): string {
  return beijingTime(seconds).replace(/\D/g, '');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function withParams(url: string, params: Record<string, string>): string {
  const target = new URL(url);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
  return target.href;
}

/** UnionPay 5.1.0 `signMethod=01`: RSA-SHA256 over the SHA-256 hex digest of the sorted fields. */
function unionpayDigest(fields: Record<string, string>): string {
  return createHash('sha256')
    .update(canonicalQuery(fields, ['signature']), 'utf8')
    .digest('hex');
}

/** The channel a scenario sets: `wxpub` is `pingppSeed`'s spelling of wx_pub; `alipay_wap-openapi` names alipay_wap. */
function scenarioChannel(scenario: string): Channel | undefined {
  const name = scenario === 'wxpub' ? 'wx_pub' : scenario.split('-')[0];
  return CHANNELS.find((channel) => channel === name);
}

function camelCase(key: string): string {
  return key.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/**
 * The charge as `pingppSeed` carries it: the Java SDK's model serialised with a plain JSON library
 * (camelCase), and the channel spelled `wxpub` in the charge and its credential key.
 */
function seedStyle(charge: Charge): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(charge)) {
    out[camelCase(key)] =
      key === 'refunds' && isRecord(value)
        ? Object.fromEntries(Object.entries(value).map(([inner, v]) => [camelCase(inner), v]))
        : value;
  }
  if (charge.channel === 'wx_pub') {
    const { wx_pub: credential, ...rest } = charge.credential;
    out.channel = 'wxpub';
    out.credential = { ...rest, wxpub: credential };
  }
  return out;
}

/** The `extra` field that says where a channel's own page sends the shopper back. */
const RETURN_FIELD: Partial<Record<Channel, string>> = {
  alipay_wap: 'success_url',
  alipay_pc_direct: 'success_url',
  wx_wap: 'result_url',
  upacp_wap: 'result_url',
  upacp_pc: 'result_url',
};

// ---------------------------------------------------------------------------------------------
// Simulator: Ping++

function pingppError(
  res: ServerResponse,
  status: number,
  type: 'invalid_request_error' | 'api_error' | 'channel_error',
  message: string,
  extra: { code?: string; param?: string } = {},
): void {
  sendJson(res, status, { error: { type, message, ...extra } });
}

/** The key from `Authorization: Basic base64(key + ":")`, as the Ping++ SDKs send it. */
function apiKeyOf(req: IncomingMessage): string | undefined {
  const auth = header(req, 'authorization') ?? '';
  const match = /^Basic\s+(\S+)$/i.exec(auth);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const key = decoded.split(':')[0] ?? '';
  return key === '' ? undefined : key;
}

function maskKey(key: string): string {
  return `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;
}

/** Ping++'s request checks: what is missing or wrong, in its error's `param`. */
function checkChargeParams(params: Record<string, unknown>): { param: string; message: string } | undefined {
  for (const name of ['order_no', 'app', 'channel', 'amount', 'client_ip', 'currency', 'subject', 'body']) {
    if (params[name] === undefined || params[name] === null || params[name] === '') {
      return { param: name, message: `缺少参数: ${name}` };
    }
  }
  if (!isRecord(params.app) || params.app.id !== APP_ID) return { param: 'app[id]', message: '无效的 app[id]' };
  if (!CHANNELS.some((channel) => channel === params.channel)) {
    return { param: 'channel', message: `不支持的渠道: ${String(params.channel)}` };
  }
  if (typeof params.order_no !== 'string' || !/^[A-Za-z0-9]{1,64}$/.test(params.order_no)) {
    return { param: 'order_no', message: 'order_no 只能是 1-64 位字母或数字' };
  }
  if (typeof params.amount !== 'number' || !Number.isSafeInteger(params.amount) || params.amount <= 0) {
    return { param: 'amount', message: 'amount 必须是大于 0 的整数 (单位: 分)' };
  }
  if (params.currency !== 'cny') return { param: 'currency', message: 'currency 只支持 cny' };
  const extra = isRecord(params.extra) ? params.extra : {};
  const required: Partial<Record<Channel, string>> = {
    alipay_wap: 'success_url',
    alipay_pc_direct: 'success_url',
    wx_pub: 'open_id',
    wx_lite: 'open_id',
    wx_pub_qr: 'product_id',
    upacp_wap: 'result_url',
    upacp_pc: 'result_url',
  };
  const need = required[params.channel as Channel];
  if (need !== undefined && (typeof extra[need] !== 'string' || extra[need] === '')) {
    return { param: `extra[${need}]`, message: `缺少参数: extra[${need}]` };
  }
  return undefined;
}

/** Where the channel would notify Ping++ (never fetched: the stand-in pages settle in-process). */
function channelNotifyUrl(chargeId: string): string {
  return `https://api.pingxx.com/notify/charges/${chargeId}`;
}

/** alipay_wap / alipay_pc_direct, mapi 1.0: field order and signing as heidian/pingxx-proxy-server `mapi.rs`. */
function alipayMapiCredential(record: ChargeRecord, origin: string): Record<string, string> {
  const { charge } = record;
  const fields: Record<string, string> = {
    channel_url: `${origin}${BASE}/alipay/gateway.do`,
    service: charge.channel === 'alipay_wap' ? 'alipay.wap.create.direct.pay.by.user' : 'create_direct_pay_by_user',
    _input_charset: 'utf-8',
    return_url: record.returnUrl,
    notify_url: channelNotifyUrl(charge.id),
    partner: ALIPAY_PID,
    out_trade_no: charge.order_no,
    subject: charge.subject,
    body: charge.body,
    total_fee: decimal(charge.amount),
    payment_type: '1',
    seller_id: ALIPAY_PID,
    it_b_pay: `${Math.max(1, Math.floor((charge.time_expire - charge.created) / 60))}m`,
  };
  const signed = canonicalQuery(fields, ['sign', 'sign_type', 'channel_url']);
  return { ...fields, sign: rsaSign(signed, alipayAppKey().privateKey, 'RSA-SHA1'), sign_type: 'RSA' };
}

/** alipay_wap / alipay_pc_direct, openapi 2.0: as heidian/pingxx-proxy-server `openapi.rs`. */
function alipayOpenapiCredential(record: ChargeRecord, origin: string): Record<string, string> {
  const { charge } = record;
  const wap = charge.channel === 'alipay_wap';
  const fields: Record<string, string> = {
    app_id: ALIPAY_APP_ID,
    method: wap ? 'alipay.trade.wap.pay' : 'alipay.trade.page.pay',
    format: 'JSON',
    charset: 'utf-8',
    sign_type: 'RSA2',
    sign: '',
    timestamp: beijingTime(charge.created),
    version: '1.0',
    biz_content: JSON.stringify({
      body: charge.body,
      subject: charge.subject,
      out_trade_no: charge.order_no,
      total_amount: decimal(charge.amount),
      product_code: wap ? 'QUICK_WAP_WAY' : 'FAST_INSTANT_TRADE_PAY',
      timeout_express: `${Math.max(1, Math.floor((charge.time_expire - charge.created) / 60))}m`,
      passback_params: charge.id,
    }),
    notify_url: channelNotifyUrl(charge.id),
    return_url: record.returnUrl,
    channel_url: `${origin}${BASE}/alipay/gateway.do`,
  };
  // openapi signs sign_type too; only sign (and Ping++'s own channel_url) stay out.
  fields.sign = rsaSign(canonicalQuery(fields, ['sign', 'channel_url']), alipayAppKey().privateKey);
  return fields;
}

/**
 * alipay_wap (b), the legacy wappaygw service: `req_data` carries the request token of an earlier
 * `alipay.wap.trade.create.direct` call; pingpp-js sends it to the fixed wappaygw host.
 */
function alipayLegacyCredential(record: ChargeRecord): Record<string, string> {
  const token = `${beijingCompact(record.charge.created)}${randomHex(8)}`;
  codes.set(`token:${token}`, record.charge.id);
  const fields: Record<string, string> = {
    service: 'alipay.wap.auth.authAndExecute',
    format: 'xml',
    v: '2.0',
    partner: ALIPAY_PID,
    sec_id: '0001',
    req_data: `<auth_and_execute_req><request_token>${token}</request_token></auth_and_execute_req>`,
  };
  return { ...fields, sign: rsaSign(canonicalQuery(fields, ['sign']), alipayAppKey().privateKey, 'RSA-SHA1') };
}

/** alipay (App): the signed `alipay.trade.app.pay` order string the native SDK takes as it is. */
function alipayAppCredential(charge: Charge): { orderInfo: string } {
  const params: Record<string, string> = {
    app_id: ALIPAY_APP_ID,
    biz_content: JSON.stringify({
      body: charge.body,
      subject: charge.subject,
      out_trade_no: charge.order_no,
      total_amount: decimal(charge.amount),
      product_code: 'QUICK_MSECURITY_PAY',
      passback_params: charge.id,
    }),
    charset: 'utf-8',
    format: 'JSON',
    method: 'alipay.trade.app.pay',
    notify_url: channelNotifyUrl(charge.id),
    sign_type: 'RSA2',
    timestamp: beijingTime(charge.created),
    version: '1.0',
  };
  const sign = rsaSign(canonicalQuery(params, ['sign']), alipayAppKey().privateKey);
  const orderInfo = [...Object.keys(params).sort(), 'sign']
    .map((key) => `${key}=${encodeURIComponent(key === 'sign' ? sign : (params[key] ?? ''))}`)
    .join('&');
  codes.set(orderInfo, charge.id);
  return { orderInfo };
}

function newPrepayId(charge: Charge): string {
  const prepayId = `wx${beijingCompact(charge.created)}${randomHex(9)}`;
  codes.set(prepayId, charge.id);
  return prepayId;
}

/** wx_pub / wx_lite: the six JSAPI parameters, `paySign` as WeChat Pay computes it. */
function wechatJsapiCredential(charge: Charge): Record<string, string> {
  const params: Record<string, string> = {
    appId: WX_APP_ID,
    timeStamp: String(charge.created),
    nonceStr: randomHex(16),
    package: `prepay_id=${newPrepayId(charge)}`,
    signType: 'MD5',
  };
  return { ...params, paySign: wechatSign(params, WX_API_KEY) };
}

/** wx (App): Ping++'s names for WeChat's APP-pay fields; `sign` over WeChat's own lower-case names. */
function wechatAppCredential(charge: Charge): Record<string, string> {
  const prepayId = newPrepayId(charge);
  const nonceStr = randomHex(16);
  const timeStamp = String(charge.created);
  const sign = wechatSign(
    {
      appid: WX_APP_ID,
      noncestr: nonceStr,
      package: 'Sign=WXPay',
      partnerid: WX_MCH_ID,
      prepayid: prepayId,
      timestamp: timeStamp,
    },
    WX_API_KEY,
  );
  return {
    appId: WX_APP_ID,
    partnerId: WX_MCH_ID,
    prepayId,
    nonceStr,
    timeStamp,
    packageValue: 'Sign=WXPay',
    sign,
  };
}

/** wx_wap: the H5 page's URL on the stand-in for wx.tenpay.com, `redirect_url` = extra.result_url. */
function wxWapUrl(record: ChargeRecord, origin: string): string {
  const url = new URL(`${origin}${BASE}/tenpay/cgi-bin/mmpayweb-bin/checkmweb`);
  url.searchParams.set('prepay_id', newPrepayId(record.charge));
  url.searchParams.set('package', String(1000000000 + (randomBytes(4).readUInt32BE() % 1000000000)));
  if (record.returnUrl) url.searchParams.set('redirect_url', record.returnUrl);
  return url.href;
}

/** upacp_wap / upacp_pc: UnionPay front-transaction fields, signed; the action is UnionPay's fixed host. */
function unionpayCredential(record: ChargeRecord): Record<string, string> {
  const { charge } = record;
  const fields: Record<string, string> = {
    version: '5.1.0',
    encoding: 'UTF-8',
    certId: UNIONPAY_CERT_ID,
    signMethod: '01',
    txnType: '01',
    txnSubType: '01',
    bizType: '000201',
    channelType: charge.channel === 'upacp_wap' ? '08' : '07',
    accessType: '0',
    merId: UNIONPAY_MER_ID,
    orderId: charge.order_no,
    txnTime: beijingCompact(charge.created),
    txnAmt: String(charge.amount),
    currencyCode: '156',
    frontUrl: record.returnUrl,
    backUrl: channelNotifyUrl(charge.id),
    payTimeout: beijingCompact(charge.time_expire),
  };
  codes.set(`upacp:${charge.order_no}`, charge.id);
  return { ...fields, signature: rsaSign(unionpayDigest(fields), unionpayKey().privateKey) };
}

/** What `credential[channel]` holds, per channel (pingpp-js `src/channels/*.js`). */
function credentialFor(record: ChargeRecord, origin: string): unknown {
  const { charge, variant } = record;
  switch (charge.channel) {
    case 'alipay_wap':
    case 'alipay_pc_direct':
      if (variant === 'openapi') return alipayOpenapiCredential(record, origin);
      if (variant === 'legacy' && charge.channel === 'alipay_wap') return alipayLegacyCredential(record);
      return alipayMapiCredential(record, origin);
    case 'alipay_qr': {
      // Real codes are https://qr.alipay.com/…; here, a page to open on a phone.
      const token = randomId(24).toLowerCase();
      const content = `${origin}${BASE}/alipay/qr/${token}`;
      codes.set(content, charge.id);
      codes.set(`alipay-qr:${token}`, charge.id);
      return content;
    }
    case 'alipay':
      return alipayAppCredential(charge);
    case 'alipay_lite': {
      // Alipay's trade number, for `my.tradePay({tradeNO})` in the mini-program (pingpp-js `alipay_lite.js`).
      const tradeNO = transactionNo(charge.channel);
      codes.set(tradeNO, charge.id);
      return tradeNO;
    }
    case 'wx_pub':
    case 'wx_lite':
      return wechatJsapiCredential(charge);
    case 'wx_pub_qr': {
      const content = `weixin://wxpay/bizpayurl?pr=${randomId(7)}`;
      codes.set(content, charge.id);
      return content;
    }
    case 'wx_wap': {
      const url = wxWapUrl(record, origin);
      return variant === 'object' ? { url } : url;
    }
    case 'wx':
      return wechatAppCredential(charge);
    case 'upacp_wap':
    case 'upacp_pc':
      return unionpayCredential(record);
    case 'balance':
      return {};
  }
}

/** A charge that failed at the channel, with the channel's own code and message. */
function failureOf(channel: Channel): { code: string; message: string } {
  if (channel.startsWith('wx')) return { code: 'ORDERPAID', message: '商户订单已支付' };
  if (channel.startsWith('upacp')) return { code: '12', message: '重复交易' };
  return { code: 'ACQ.TRADE_HAS_SUCCESS', message: '交易已被支付' };
}

/** A `channel_error` from creating the charge at the channel. */
function channelErrorOf(channel: Channel): { code: string; message: string } {
  if (channel.startsWith('wx')) return { code: 'NOAUTH', message: '商户无此接口权限' };
  if (channel.startsWith('upacp')) return { code: '6100030', message: '商户未开通此交易' };
  return { code: 'ACQ.ACCESS_FORBIDDEN', message: '无权限使用接口' };
}

function transactionNo(channel: Channel): string {
  const time = beijingCompact(now());
  if (channel.startsWith('wx'))
    return `4200000${time.slice(0, 8)}${String(randomBytes(4).readUInt32BE()).padStart(10, '0')}`;
  if (channel.startsWith('upacp')) return `${time}${String(randomBytes(3).readUIntBE(0, 3)).padStart(8, '0')}`;
  return `${time.slice(0, 8)}2100100${String(randomBytes(4).readUInt32BE()).padStart(11, '0')}`;
}

/** Sends `charge.succeeded`, signed with Ping++'s webhook key, to the URL set in the app's dashboard. */
async function deliverWebhook(record: ChargeRecord): Promise<void> {
  const event = {
    id: `evt_${randomId(24)}`,
    created: now(),
    livemode: false,
    type: 'charge.succeeded',
    // Ping++ sends the charge with an emptied credential (pingpp-nodejs `example/webhooks_verify.js`).
    data: { object: { ...record.charge, credential: {} } },
    object: 'event',
    pending_webhooks: 0,
    request: `iar_${randomId(24)}`,
  };
  const body = JSON.stringify(event);
  const signature = rsaSign(body, pingppKeys().webhook.privateKey);
  const delivery: Delivery = { event_id: event.id, body, signature, status: 0 };
  record.deliveries.push(delivery);
  try {
    const response = await fetch(record.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-pingplusplus-signature': signature },
      body,
    });
    delivery.status = response.status;
    await response.text();
  } catch {
    delivery.status = -1;
  }
}

async function pay(record: ChargeRecord): Promise<void> {
  const { charge } = record;
  if (charge.paid || charge.failure_code !== null) return;
  charge.paid = true;
  charge.time_paid = now();
  charge.transaction_no = transactionNo(charge.channel);
  await deliverWebhook(record);
}

function recordByCode(code: string): ChargeRecord | undefined {
  const id = codes.get(code) ?? code;
  return charges.get(id);
}

// ---------------------------------------------------------------------------------------------
// Simulator: the channels' pages

function brandOf(channel: Channel): { name: string; brand: string } {
  if (channel.startsWith('wx')) return { name: 'WeChat Pay', brand: 'brand-wechat' };
  if (channel.startsWith('upacp')) return { name: 'UnionPay', brand: 'brand-unionpay' };
  return { name: 'Alipay', brand: 'brand-alipay' };
}

function cashier(record: ChargeRecord, title: string): string {
  const { charge } = record;
  const { name, brand } = brandOf(charge.channel);
  const action = `${BASE}/decide/${charge.id}`;
  return cashierPage({
    gateway: `${name} (via Ping++)`,
    brand,
    title,
    amount: `¥${decimal(charge.amount)}`,
    reference: charge.order_no,
    details: { Subject: charge.subject, Channel: charge.channel, Charge: charge.id, Mode: 'test (livemode: false)' },
    decisions: [
      { label: 'Pay', action, fields: { outcome: 'pay' }, kind: 'primary' },
      { label: 'Fail', action, fields: { outcome: 'fail' } },
      { label: 'Cancel', action, fields: { outcome: 'cancel' } },
    ],
  });
}

/** A channel's refusal page: its error code and message, as the real page shows them. */
function refusal(res: ServerResponse, status: number, channel: string, code: string, message: string): void {
  sendHtml(
    res,
    status,
    page(
      `${channel} · ${code}`,
      `<p class="sandbox-brand">${escapeHtml(channel)} <span>sandbox</span></p>
      <h1>${escapeHtml(message)}</h1><p>错误代码 <code>${escapeHtml(code)}</code></p>`,
    ),
  );
}

function outcomePage(record: ChargeRecord, title: string, text: string, link: string): string {
  const { name, brand } = brandOf(record.charge.channel);
  const back = link ? `<p><a href="${escapeHtml(link)}">返回商户 / Back to the shop</a></p>` : '';
  return page(
    `${name} · ${title}`,
    `<p class="sandbox-brand">${escapeHtml(name)} <span>sandbox</span></p>
    <h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>
    <dl><dt>Trade</dt><dd>${escapeHtml(record.charge.order_no)}</dd></dl>${back}`,
    { brand },
  );
}

/** What Alipay appends to return_url after paying, signed with Alipay's own key. */
function alipayReturnUrl(record: ChargeRecord): string {
  const { charge } = record;
  if (!record.returnUrl) return '';
  if (record.variant === 'openapi') {
    const params: Record<string, string> = {
      app_id: ALIPAY_APP_ID,
      auth_app_id: ALIPAY_APP_ID,
      charset: 'utf-8',
      method: charge.channel === 'alipay_wap' ? 'alipay.trade.wap.pay.return' : 'alipay.trade.page.pay.return',
      out_trade_no: charge.order_no,
      seller_id: ALIPAY_PID,
      timestamp: beijingTime(now()),
      total_amount: decimal(charge.amount),
      trade_no: charge.transaction_no ?? '',
      version: '1.0',
    };
    const sign = rsaSign(canonicalQuery(params, ['sign', 'sign_type']), alipayKey().privateKey);
    return withParams(record.returnUrl, { ...params, sign, sign_type: 'RSA2' });
  }
  const params: Record<string, string> = {
    is_success: 'T',
    out_trade_no: charge.order_no,
    seller_id: ALIPAY_PID,
    total_fee: decimal(charge.amount),
    trade_no: charge.transaction_no ?? '',
    trade_status: 'TRADE_SUCCESS',
  };
  const sign = rsaSign(canonicalQuery(params), alipayKey().privateKey, 'RSA-SHA1');
  return withParams(record.returnUrl, { ...params, sign, sign_type: 'RSA' });
}

/** The Alipay gateway (mapi `service=…` or openapi `method=…`): checks the signature, then the cashier. */
function alipayGateway(req: Request, res: ServerResponse) {
  const params = Object.fromEntries(query(req));
  const openapi = params.method !== undefined;
  if (openapi) {
    const known = ['alipay.trade.wap.pay', 'alipay.trade.page.pay'];
    if (params.app_id !== ALIPAY_APP_ID || !known.includes(params.method ?? '')) {
      return refusal(res, 400, 'Alipay', 'invalid-app-id', '无效的AppID参数');
    }
    if (
      params.sign_type !== 'RSA2' ||
      !rsaVerify(canonicalQuery(params, ['sign']), params.sign, alipayAppKey().publicKey)
    ) {
      return refusal(res, 400, 'Alipay', 'invalid-signature', '验签出错');
    }
  } else {
    const known = ['alipay.wap.create.direct.pay.by.user', 'create_direct_pay_by_user'];
    if (params.partner !== ALIPAY_PID || !known.includes(params.service ?? '')) {
      return refusal(res, 400, 'Alipay', 'ILLEGAL_PARTNER', '合作伙伴没有开通接口访问权限');
    }
    if (
      params.sign_type !== 'RSA' ||
      !rsaVerify(canonicalQuery(params, ['sign', 'sign_type']), params.sign, alipayAppKey().publicKey, 'RSA-SHA1')
    ) {
      return refusal(res, 400, 'Alipay', 'ILLEGAL_SIGN', '签名不正确');
    }
  }
  let biz: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(params.biz_content ?? '{}');
    if (isRecord(parsed)) biz = parsed;
  } catch {
    return refusal(res, 400, 'Alipay', 'ILLEGAL_ARGUMENT', 'biz_content 不是 JSON');
  }
  const outTradeNo = String(openapi ? biz.out_trade_no : params.out_trade_no);
  const record = recordByCode(`order:${outTradeNo}`);
  if (!record) return refusal(res, 404, 'Alipay', 'TRADE_NOT_EXIST', '交易不存在');
  const amount = openapi ? String(biz.total_amount) : params.total_fee;
  if (amount !== decimal(record.charge.amount)) {
    return refusal(res, 400, 'Alipay', 'ILLEGAL_ARGUMENT', '金额与订单不符');
  }
  if (record.charge.paid) return refusal(res, 409, 'Alipay', 'TRADE_HAS_SUCCESS', '交易已经支付');
  return sendHtml(res, 200, cashier(record, record.charge.subject));
}

// ---------------------------------------------------------------------------------------------
// The wallets: WeChat's JSAPI sheet and the apps' SDKs

/** An app token as the scan endpoint takes it: the order string, or the prepay id. */
function scanContentOf(token: unknown): string {
  if (typeof token === 'string') return token;
  const fields = isRecord(token) ? token : {};
  return String(fields.prepayid ?? fields.prepayId ?? fields.orderInfo ?? '');
}

/** WeixinJSBridge getBrandWCPayRequest: WeChat checks paySign, then settles on `ok`. */
async function confirmJsapi(body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const params = isRecord(body.params) ? body.params : undefined;
  const prepay = /^prepay_id=(.+)$/.exec(String(params?.package ?? ''))?.[1] ?? '';
  const record = charges.get(String(body.charge_id ?? '')) ?? recordByCode(prepay);
  // wx_lite: the same six parameters, paid by the mini-program's wx.requestPayment.
  if (record?.charge.channel !== 'wx_pub' && record?.charge.channel !== 'wx_lite') {
    return { status: 404, body: { err_msg: 'get_brand_wcpay_request:fail', error: 'no wx_pub charge' } };
  }
  if (params) {
    // WeChat checks paySign over the parameters the page passed to the bridge.
    const given = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
    if (!sameSignature(given.paySign, wechatSign(given, WX_API_KEY))) {
      return { status: 200, body: { err_msg: 'get_brand_wcpay_request:fail', err_desc: '支付验证签名失败' } };
    }
  }
  switch (body.outcome) {
    case 'ok':
      await pay(record);
      return { status: 200, body: { err_msg: 'get_brand_wcpay_request:ok' } };
    case 'cancel':
      return { status: 200, body: { err_msg: 'get_brand_wcpay_request:cancel' } };
    case 'fail':
      return { status: 200, body: { err_msg: 'get_brand_wcpay_request:fail' } };
    default:
      return { status: 400, body: { error: 'outcome must be ok, cancel or fail' } };
  }
}

// ---------------------------------------------------------------------------------------------

export const pingppSimulator: Simulator = {
  id: 'pingpp',
  label: 'Ping++ (user/v2/pay)',
  methods: ['alipay', 'wxpay', 'unionpay'],
  scenarios: [
    {
      id: 'auto',
      label: 'As the method and device decide (pc: QR / PC page, phone: WAP, WeChat: JSAPI, app webview: SDK)',
      expect: 'redirect | qr | wechat-jsapi | form | sdk-token',
    },
    { id: 'alipay_pc_direct', label: 'alipay_pc_direct, mapi 1.0 (create_direct_pay_by_user)', expect: 'redirect' },
    {
      id: 'alipay_pc_direct-openapi',
      label: 'alipay_pc_direct, openapi 2.0 (alipay.trade.page.pay)',
      expect: 'redirect',
    },
    { id: 'alipay_wap', label: 'alipay_wap, mapi 1.0 (alipay.wap.create.direct.pay.by.user)', expect: 'redirect' },
    { id: 'alipay_wap-openapi', label: 'alipay_wap, openapi 2.0 (alipay.trade.wap.pay)', expect: 'redirect' },
    {
      id: 'alipay_wap-legacy',
      label: 'alipay_wap, legacy req_data (fixed wappaygw.alipay.com: not reachable from the sandbox)',
      expect: 'redirect',
    },
    { id: 'alipay_qr', label: 'alipay_qr (a page to open on a phone)', expect: 'qr' },
    { id: 'alipay', label: 'alipay App: orderInfo for the native SDK', expect: 'sdk-token' },
    { id: 'wx_pub', label: 'wx_pub: JSAPI parameters (WeChat browser)', expect: 'wechat-jsapi' },
    { id: 'wxpub', label: 'wx_pub as seed 000 shows it (camelCase, "wxpub")', expect: 'wechat-jsapi' },
    { id: 'wx_pub_qr', label: 'wx_pub_qr: weixin://wxpay/bizpayurl', expect: 'qr' },
    { id: 'wx_wap', label: 'wx_wap: H5 pay URL', expect: 'redirect' },
    { id: 'wx_wap-object', label: 'wx_wap: {url} object', expect: 'redirect' },
    { id: 'wx', label: 'wx App: WeChat SDK fields', expect: 'sdk-token' },
    {
      id: 'wx_lite',
      label: 'wx_lite: wx.requestPayment parameters (WeChat mini-program web-view only)',
      expect: 'mini-program',
    },
    {
      id: 'alipay_lite',
      label: 'alipay_lite: a trade number for my.tradePay (Alipay mini-program web-view only)',
      expect: 'mini-program',
    },
    {
      id: 'upacp_wap',
      label: 'upacp_wap: UnionPay form (fixed gateway.95516.com: not reachable from the sandbox)',
      expect: 'form',
    },
    {
      id: 'upacp_pc',
      label: 'upacp_pc: UnionPay form (fixed gateway.95516.com: not reachable from the sandbox)',
      expect: 'form',
    },
    { id: 'balance', label: 'balance: paid at creation', expect: 'success' },
    { id: 'charge-failed', label: 'charge with failure_code / failure_msg (订单已支付)', expect: 'failed' },
    { id: 'channel-error', label: 'Ping++ channel_error → envelope code 400', expect: 'failed' },
    { id: 'bad-key', label: 'wrong secret key: 401 → envelope code 401', expect: 'failed' },
  ],

  routes(router: Router, board: ScenarioBoard) {
    // Ping++ `POST /v1/charges`.
    router.on('POST', `${BASE}/v1/charges`, async (req, res) => {
      const key = apiKeyOf(req);
      if (key === undefined) {
        return pingppError(
          res,
          401,
          'invalid_request_error',
          'No API key provided. Use HTTP Basic auth with your secret key as the user name.',
        );
      }
      if (key !== SECRET_KEY) {
        return pingppError(res, 401, 'invalid_request_error', `Invalid API Key provided: ${maskKey(key)}`);
      }
      const raw = await readText(req);
      if (!rsaVerify(raw, header(req, 'pingplusplus-signature'), pingppKeys().merchant.publicKey)) {
        return pingppError(res, 401, 'invalid_request_error', '请求签名验证失败 (Pingplusplus-Signature)');
      }
      let params: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(raw);
        if (!isRecord(parsed)) throw new Error('not an object');
        params = parsed;
      } catch {
        return pingppError(res, 400, 'invalid_request_error', '请求体不是有效的 JSON');
      }
      const scenario = board.of(typeof params.order_no === 'string' ? params.order_no : undefined, 'auto');
      // As if the merchant had configured another app's key: refused before anything else is read.
      if (scenario === 'bad-key') {
        return pingppError(res, 401, 'invalid_request_error', `Invalid API Key provided: ${maskKey(WRONG_KEY)}`);
      }
      const problem = checkChargeParams(params);
      if (problem) return pingppError(res, 400, 'invalid_request_error', problem.message, { param: problem.param });
      // The simulated app is set to the scenario's channel (as if only it were enabled), else the one asked for.
      const channel = scenarioChannel(scenario) ?? (params.channel as Channel);
      if (scenario === 'channel-error') {
        const { code, message } = channelErrorOf(channel);
        return pingppError(res, 400, 'channel_error', message, { code });
      }
      const extra = isRecord(params.extra) ? params.extra : {};
      const created = now();
      const id = `ch_${randomId(24)}`;
      const charge: Charge = {
        id,
        object: 'charge',
        created,
        livemode: false,
        paid: false,
        refunded: false,
        app: APP_ID,
        channel,
        order_no: String(params.order_no),
        client_ip: String(params.client_ip),
        amount: params.amount as number,
        amount_settle: params.amount as number,
        currency: 'cny',
        subject: String(params.subject),
        body: String(params.body),
        extra,
        time_paid: null,
        time_expire: created + 7200,
        time_settle: null,
        transaction_no: null,
        refunds: { object: 'list', url: `/v1/charges/${id}/refunds`, has_more: false, data: [] },
        amount_refunded: 0,
        failure_code: null,
        failure_msg: null,
        metadata: isRecord(params.metadata) ? params.metadata : {},
        credential: { object: 'credential' },
        description: null,
      };
      // Only the channels with a page of their own send the shopper back (a QR, an SDK, a sheet do not).
      const back = RETURN_FIELD[channel];
      const returnUrl = back === undefined ? '' : String(extra[back] ?? '');
      const record: ChargeRecord = {
        charge,
        variant: scenario.split('-')[1] ?? '',
        returnUrl,
        cancelUrl: returnUrl ? String(extra.cancel_url ?? returnUrl) : '',
        webhookUrl: board.webhook('pingpp') ?? `${originOf(req)}${WEBHOOK_PATH}`,
        deliveries: [],
      };
      charges.set(id, record);
      codes.set(`order:${charge.order_no}`, id);
      const origin = originOf(req);
      if (scenario === 'charge-failed') {
        const { code, message } = failureOf(channel);
        charge.failure_code = code;
        charge.failure_msg = message;
      } else {
        charge.credential = { object: 'credential', [channel]: credentialFor(record, origin) };
      }
      if (channel === 'balance' && charge.failure_code === null) {
        // Balance charges are paid as they are created; the webhook follows, as webhooks do, shortly after.
        charge.paid = true;
        charge.time_paid = created;
        charge.transaction_no = transactionNo(channel);
        setTimeout(() => void deliverWebhook(record), 50);
      }
      // `wxpub`: the app answers as `pingppSeed`'s backend got it (a plain JSON library over the Java model).
      return sendJson(res, 200, scenario === 'wxpub' ? seedStyle(charge) : charge);
    });

    // Ping++ `GET /v1/charges/{id}`.
    router.on('GET', `${BASE}/v1/charges/:chargeId`, (req, res, params) => {
      if (apiKeyOf(req) !== SECRET_KEY) return pingppError(res, 401, 'invalid_request_error', 'Invalid API Key');
      const record = charges.get(params.chargeId ?? '');
      if (!record) return pingppError(res, 404, 'invalid_request_error', `No such charge: ${params.chargeId}`);
      return sendJson(res, 200, record.charge);
    });

    // The sandbox's stand-in for the dashboard's webhook log: every delivery, its body and signature.
    router.on('GET', `${BASE}/sandbox/webhooks/:chargeId`, (_req, res, params) => {
      const record = charges.get(params.chargeId ?? '');
      if (!record) return sendJson(res, 404, { error: 'no such charge' });
      return sendJson(res, 200, { deliveries: record.deliveries });
    });

    // Alipay's gateway (mapi.alipay.com / openapi.alipay.com), reached through the credential's channel_url.
    router.on('GET', `${BASE}/alipay/gateway.do`, (req, res) => alipayGateway(req, res));

    // wappaygw.alipay.com/service/rest.htm for the legacy req_data credential. pingpp-js (and
    // cashdesk) send it to the fixed Alipay host, so only a copy of the URL on this host lands here.
    router.on('GET', `${BASE}/alipay/service/rest.htm`, (req, res) => {
      const params = Object.fromEntries(query(req));
      // _input_charset is added by the client after signing (pingpp-js alipay_wap.js).
      if (
        params.partner !== ALIPAY_PID ||
        params.sec_id !== '0001' ||
        !rsaVerify(
          canonicalQuery(params, ['sign', '_input_charset']),
          params.sign,
          alipayAppKey().publicKey,
          'RSA-SHA1',
        )
      ) {
        return refusal(res, 400, 'Alipay', 'ILLEGAL_SIGN', '签名不正确');
      }
      const token = /<request_token>([^<]+)<\/request_token>/.exec(params.req_data ?? '')?.[1] ?? '';
      const record = recordByCode(`token:${token}`);
      if (!record) return refusal(res, 404, 'Alipay', 'TOKEN_INVALID', 'request_token 无效');
      return sendHtml(res, 200, cashier(record, record.charge.subject));
    });

    // The page an alipay_qr code opens on a phone.
    router.on('GET', `${BASE}/alipay/qr/:token`, (_req, res, params) => {
      const record = recordByCode(`alipay-qr:${params.token ?? ''}`);
      if (!record) return refusal(res, 404, 'Alipay', 'QR_CODE_INVALID', '二维码已失效');
      if (record.charge.paid) return refusal(res, 409, 'Alipay', 'TRADE_HAS_SUCCESS', '交易已经支付');
      return sendHtml(res, 200, cashier(record, record.charge.subject));
    });

    // wx.tenpay.com's H5 pay page: outside WeChat only, for a known prepay_id and its package.
    router.on('GET', `${BASE}/tenpay/cgi-bin/mmpayweb-bin/checkmweb`, (req, res) => {
      const params = query(req);
      if (/MicroMessenger/i.test(header(req, 'user-agent') ?? '')) {
        return refusal(res, 400, 'WeChat Pay', 'OPEN_IN_BROWSER', '请在微信外打开订单，进行支付');
      }
      const record = recordByCode(params.get('prepay_id') ?? '');
      const credential = record?.charge.credential.wx_wap;
      const issued = typeof credential === 'string' ? credential : isRecord(credential) ? String(credential.url) : '';
      if (!record || issued === '' || new URL(issued).searchParams.get('package') !== params.get('package')) {
        return refusal(res, 400, 'WeChat Pay', 'INVALID_REQUEST', '商家参数格式有误，请联系商家解决');
      }
      return sendHtml(res, 200, cashier(record, record.charge.subject));
    });

    // UnionPay's front transaction (gateway.95516.com/gateway/api/frontTransReq.do): every field and
    // the signature are checked. The browser adapter posts to UnionPay's fixed host, so only a form
    // re-targeted at this host lands here.
    router.on('POST', `${BASE}/upacp/gateway/api/frontTransReq.do`, async (req, res) => {
      const fields = await readForm(req);
      const fixed: Record<string, string> = {
        version: '5.1.0',
        encoding: 'UTF-8',
        certId: UNIONPAY_CERT_ID,
        signMethod: '01',
        txnType: '01',
        txnSubType: '01',
        bizType: '000201',
        accessType: '0',
        merId: UNIONPAY_MER_ID,
        currencyCode: '156',
      };
      const required = ['channelType', 'orderId', 'txnTime', 'txnAmt', 'frontUrl', 'backUrl', 'signature'];
      const missing = required.find((name) => !fields[name]);
      if (missing) return refusal(res, 400, 'UnionPay', '10', `报文格式错误: ${missing} 缺失`);
      const wrong = Object.entries(fixed).find(([name, value]) => fields[name] !== value);
      if (wrong) return refusal(res, 400, 'UnionPay', '10', `报文格式错误: ${wrong[0]}`);
      if (!rsaVerify(unionpayDigest(fields), fields.signature, unionpayKey().publicKey)) {
        return refusal(res, 400, 'UnionPay', '11', '验证签名失败');
      }
      const record = recordByCode(`upacp:${fields.orderId}`);
      if (!record || fields.txnAmt !== String(record.charge.amount)) {
        return refusal(res, 400, 'UnionPay', '12', '交易信息不符');
      }
      return sendHtml(res, 200, cashier(record, record.charge.subject));
    });

    // The Pay / Fail / Cancel buttons of every channel page above.
    router.on('POST', `${BASE}/decide/:chargeId`, async (req, res, params) => {
      const record = charges.get(params.chargeId ?? '');
      if (!record) return refusal(res, 404, 'Ping++', 'charge_not_found', 'No such charge');
      const { outcome } = await readForm(req);
      const { channel } = record.charge;
      if (outcome === 'pay') {
        await pay(record);
        const back = channel.startsWith('alipay') ? alipayReturnUrl(record) : record.returnUrl;
        if (back) return redirect(res, back);
        return sendHtml(res, 200, outcomePage(record, '支付成功', 'Payment complete. You can close this page.', ''));
      }
      // Ping++ sends no webhook for a failed or abandoned payment: the order stays pending.
      if (outcome === 'fail') {
        return sendHtml(res, 200, outcomePage(record, '支付失败', 'The payment failed.', record.returnUrl));
      }
      if (record.cancelUrl) return redirect(res, record.cancelUrl);
      return sendHtml(res, 200, outcomePage(record, '已取消', 'Payment cancelled.', ''));
    });

    // "Scan": what a phone does with QR content, or a host app with an SDK token (orderInfo, prepayId).
    router.on('POST', `${BASE}/scan`, async (req, res) => {
      const { content } = await readForm(req);
      const record = recordByCode(content ?? '');
      if (!record) return sendJson(res, 404, { error: 'no charge for that code' });
      if (record.charge.failure_code !== null) return sendJson(res, 409, { error: record.charge.failure_msg });
      await pay(record);
      return sendJson(res, 200, { paid: record.charge.id });
    });

    // WeixinJSBridge getBrandWCPayRequest, settled by the gallery's simulated bridge.
    router.on('POST', `${BASE}/wx_pub/confirm`, async (req, res) => {
      const { status, body } = await confirmJsapi(await readJson(req));
      return sendJson(res, status, body);
    });
  },

  async confirmWechat(params, outcome) {
    await confirmJsapi({ params, outcome });
  },

  async confirmApp(token, outcome) {
    if (outcome !== 'success') return;
    const record = recordByCode(scanContentOf(token));
    if (record && record.charge.failure_code === null) await pay(record);
  },
};
