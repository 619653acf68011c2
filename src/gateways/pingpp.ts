/**
 * A merchant `user/v2/pay` envelope whose `data.payContent` is a Ping++
 * charge (or an account-system order), as a JSON string or an object. The credential stored under
 * the charge's channel decides the action. Redirects and forms are built the way pingpp-js builds
 * them (PingPlusPlus/pingpp-js `src/channels/*.js`, `src/utils.js`), so the gateway receives exactly
 * the parameters Ping++ signed.
 */

import * as z from 'zod/mini';
import { CheckoutError } from '../core/errors.js';
import type { ActionMeta, NextAction, WechatJsapiParams } from '../core/next-action.js';
import { ALIPAY_HOSTS, checkWebUrl, UNIONPAY_HOSTS } from '../core/safe-url.js';
import { checkQrContent, isIntegerAmount, lazy, nonEmpty, parseJson, readJson, validate } from '../core/validate.js';
import type { AdapterContext, GatewayAdapter } from './registry.js';

/** pingpp-js `upacp_wap.js` UPACP_WAP_URL and `upacp_pc.js` UPACP_PC_URL: one fixed action. */
const UNIONPAY_FRONT_URL = 'https://gateway.95516.com/gateway/api/frontTransReq.do';
/** pingpp-js `alipay_wap.js` ALIPAY_WAP_URL and `alipay_pc_direct.js` ALIPAY_PC_DIRECT_URL. */
const ALIPAY_MAPI_URL = 'https://mapi.alipay.com/gateway.do';
/** pingpp-js `alipay_wap.js` ALIPAY_WAP_URL_OLD, for the legacy `req_data` credential. */
const ALIPAY_WAP_LEGACY_URL = 'https://wappaygw.alipay.com/service/rest.htm';

/**
 * Only a mini-program can pay these (`wx.requestPayment`, `my.tradePay`). `wx_lite` and
 * `alipay_lite` become `mini-program` actions, which the flow hands to the host mini-program
 * inside its web-view and refuses elsewhere; these others stay refused.
 */
const MINI_PROGRAM_CHANNELS = ['isv_lite', 'wx_lite_pab'] as const;

/** pingpp-js `alipay_lite.js`: the credential is Alipay's trade number, for `my.tradePay({tradeNO})`. */
const alipayLiteSchema = lazy(() => nonEmpty());

/** Alipay parameter names; pingpp-js writes keys unencoded, so anything else could reshape the URL. */
const ALIPAY_KEY = /^[A-Za-z0-9_.]+$/;

const envelopeSchema = lazy(() =>
  z.object({
    code: z.union([z.number(), z.string()]),
    message: z.nullish(z.string()),
    data: z.nullish(z.object({ payContent: z.unknown() })),
  }),
);

// Both spellings of every field: Ping++'s wire format is snake_case, but a charge serialised with a
// plain JSON library from the Java SDK's model is camelCase, as merchants' `user/v2/pay` answers print it.
const chargeSchema = lazy(() => {
  const failureCode = z.nullish(z.union([z.string(), z.number()]));
  const text = z.nullish(z.string());
  return z.object({
    channel: z.string(),
    paid: z.nullish(z.boolean()),
    livemode: z.nullish(z.boolean()),
    failure_code: failureCode,
    failureCode,
    failure_msg: text,
    failureMsg: text,
    order_no: text,
    orderNo: text,
  });
});

/**
 * Ping++'s API error object, `{"error": {type, message, code?, param?}}`: what the API answers to a
 * bad key or a bad request, and what a merchant backend may pass on as the body or as payContent.
 */
const apiErrorSchema = lazy(() => {
  const text = z.nullish(z.string());
  return z.object({ error: z.object({ type: text, message: text, code: text, param: text }) });
});

const wechatJsapiSchema = lazy(() => {
  return z.object({
    appId: nonEmpty(),
    timeStamp: z.union([nonEmpty(), z.int()]),
    nonceStr: nonEmpty(),
    package: nonEmpty(),
    signType: nonEmpty(),
    paySign: nonEmpty(),
  });
});

const wechatAppSchema = lazy(() => {
  return z.object({
    appId: nonEmpty(),
    partnerId: nonEmpty(),
    prepayId: nonEmpty(),
    nonceStr: nonEmpty(),
    timeStamp: z.union([nonEmpty(), z.int()]),
    packageValue: nonEmpty(),
    sign: nonEmpty(),
  });
});

const alipayAppSchema = lazy(() => z.object({ orderInfo: nonEmpty() }));
const alipayTradeSchema = lazy(() => z.object({ transaction_no: nonEmpty() }));
const wxWapSchema = lazy(() => z.object({ url: z.string() }));

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asRecord(value: unknown, what: string): Fields {
  if (isRecord(value)) return value;
  if (value === undefined || value === null) {
    throw new CheckoutError('missing_field', `${what} is missing`, { field: what });
  }
  throw new CheckoutError('invalid_field', `${what} is not an object`, { field: what });
}

/** pingpp-js `src/payment_elements.js` takes the charge as a JSON string or as an object. */
function readPayContent(payContent: unknown): Fields {
  const what = 'data.payContent';
  return asRecord(typeof payContent === 'string' ? parseJson(payContent, what) : payContent, what);
}

/**
 * Account-system orders carry the charge's channel and credential in `charge_essentials`, and
 * pingpp-js uses the order's `merchant_order_no` as the charge's `order_no` (`src/payment_elements.js`).
 */
function unwrapOrder(content: Fields): Fields {
  if (content.object !== 'order') return content;
  const essentials = asRecord(content.charge_essentials ?? content.chargeEssentials, 'charge_essentials');
  return {
    ...content,
    channel: essentials.channel,
    credential: essentials.credential,
    order_no: content.merchant_order_no ?? content.merchantOrderNo,
  };
}

/**
 * A signed credential, its signature included, with each value as the text pingpp-js sends. Its
 * `utils.stringifyData` (`src/utils.js`, through `encodeURIComponent`) and `utils.formSubmit`
 * (through `setAttribute('value', …)`) turn a number into `String(n)`, so a finite number is sent
 * as its shortest decimal text: `"payment_type": 1.0` printed by the Java SDK reaches Alipay as
 * `payment_type=1`, as it would from Ping++'s own client. Booleans, objects, null and non-finite
 * numbers would become "true", "[object Object]", "null" or "Infinity", which no gateway signed.
 */
function signedFields(credential: unknown, what: string, signature: string): Record<string, string> {
  const entries = Object.entries(asRecord(credential, what)).map(([key, value]): [string, string] => {
    if (typeof value === 'string') return [key, value];
    if (typeof value === 'number' && Number.isFinite(value)) return [key, String(value)];
    throw new CheckoutError('invalid_field', `${what}.${key} is neither a string nor a finite number`, {
      field: `${what}.${key}`,
    });
  });
  // fromEntries defines own keys, so a `__proto__` parameter stays a parameter.
  const fields = Object.fromEntries(entries);
  if (!Object.hasOwn(fields, signature)) {
    throw new CheckoutError('missing_field', `${what}.${signature} is missing`, { field: `${what}.${signature}` });
  }
  return fields;
}

/**
 * When pingpp-js adds `_input_charset=utf-8` to a credential that lacks it: `alipay_wap.js` for the
 * mapi WAP service or `req_data`; `alipay_pc_direct.js` for any credential, narrowed here to the mapi
 * `create_direct_pay_by_user`, since `_input_charset` is a mapi parameter and an
 * openapi `page.pay` credential names its charset in `charset`.
 */
function needsInputCharset(channel: string, fields: Record<string, string>): boolean {
  if (Object.hasOwn(fields, '_input_charset')) return false;
  if (channel === 'alipay_pc_direct') return fields.service === 'create_direct_pay_by_user';
  return fields.service === 'alipay.wap.create.direct.pay.by.user' || Object.hasOwn(fields, 'req_data');
}

function alipayBase(channel: string, fields: Record<string, string>): string {
  // alipay_wap.js checks req_data before channel_url; alipay_pc_direct.js knows no req_data.
  if (channel === 'alipay_wap' && Object.hasOwn(fields, 'req_data')) return ALIPAY_WAP_LEGACY_URL;
  return fields.channel_url ?? ALIPAY_MAPI_URL;
}

/**
 * `base + '?' + stringifyData(credential, channel, true)` as in pingpp-js `alipay_wap.js` and
 * `alipay_pc_direct.js`: keys in credential order, `key=encodeURIComponent(value)` joined with `&`,
 * `channel_url` used as the base and left out of the query, `_input_charset` appended last.
 */
function alipayUrl(channel: string, credential: unknown, context: AdapterContext): string {
  const what = `credential.${channel}`;
  const fields = signedFields(credential, what, 'sign');
  const rule = { ...context, hosts: ALIPAY_HOSTS, what: `${what} base URL` };
  const base = checkWebUrl(alipayBase(channel, fields), rule);
  // pingpp-js appends '?' blindly: after an existing query or fragment the signed parameters would
  // not reach Alipay as sent, so such a base is refused rather than patched.
  if (/[?#]/.test(base)) {
    throw new CheckoutError('invalid_field', `${what}.channel_url already has a query or fragment`, {
      field: `${what}.channel_url`,
    });
  }
  const entries = Object.entries(fields).filter(([key]) => key !== 'channel_url');
  if (needsInputCharset(channel, fields)) entries.push(['_input_charset', 'utf-8']);
  const badKey = entries.find(([key]) => !ALIPAY_KEY.test(key));
  if (badKey !== undefined) {
    throw new CheckoutError('invalid_field', `${what} has the parameter name ${JSON.stringify(badKey[0])}`, {
      field: what,
    });
  }
  const query = entries.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
  return checkWebUrl(`${base}?${query}`, { ...rule, what: `${channel} redirect URL` });
}

/** pingpp-js `wx_pub.js` requires all six; WeChat's bridge wants every value as a string. */
function wechatJsapiParams(credential: unknown, what: string): WechatJsapiParams {
  const params = validate(wechatJsapiSchema(), credential, what);
  // The Java SDK turns a numeric timeStamp into a string the same way (ChargeDeserializer.java).
  return { ...params, timeStamp: String(params.timeStamp) };
}

/** pingpp-js `wx_wap.js`: the credential is the URL, or an object holding it in `url`. */
function wxWapUrl(credential: unknown, what: string): string {
  return typeof credential === 'string' ? credential : validate(wxWapSchema(), credential, what).url;
}

/** The action for the credential found under `channel`, as pingpp-js `src/channels/<channel>.js` performs it. */
function channelAction(channel: string, credential: unknown, context: AdapterContext): NextAction {
  const what = `credential.${channel}`;
  // Seed 000 spells wx_pub "wxpub" (§1.1): an alias decided here, while the credential itself is
  // still looked up under the literal channel string.
  const canonical = channel === 'wxpub' ? 'wx_pub' : channel;
  switch (canonical) {
    case 'wx_pub':
      return { kind: 'wechat-jsapi', params: wechatJsapiParams(credential, what) };
    case 'wx_lite':
      // pingpp-js `wx_lite.js` checks the same six fields, then drops appId for `wx.requestPayment`.
      return { kind: 'mini-program', platform: 'wechat', params: { ...wechatJsapiParams(credential, what) } };
    case 'alipay_lite':
      return {
        kind: 'mini-program',
        platform: 'alipay',
        params: { tradeNO: validate(alipayLiteSchema(), credential, what) },
      };
    case 'wx_pub_qr':
      return { kind: 'qr', content: checkQrContent(credential, what) };
    case 'alipay_qr':
      // An object here is pingpp-js's Koubei in-Alipay variant: `{transaction_no}` handed to
      // AlipayJSBridge.call('tradePay', {tradeNO}) (`src/channels/alipay_qr.js`). Only the Alipay
      // app's bridge pays a trade number: the flow pays it there and refuses it elsewhere
      // (unsupported_environment), as the native SDKs take no trade number.
      if (isRecord(credential)) {
        const { transaction_no: tradeNO } = validate(alipayTradeSchema(), credential, what);
        return { kind: 'sdk-token', sdk: 'alipay', token: { tradeNO } };
      }
      return { kind: 'qr', content: checkQrContent(credential, what) };
    case 'wx_wap':
      return { kind: 'redirect', url: checkWebUrl(wxWapUrl(credential, what), { ...context, what }) };
    case 'alipay_wap':
    case 'alipay_pc_direct':
      return { kind: 'redirect', url: alipayUrl(canonical, credential, context), hosts: ALIPAY_HOSTS };
    case 'upacp_wap':
    case 'upacp_pc':
      // pingpp-js `utils.formSubmit` posts every credential field as it is, in order.
      return {
        kind: 'form',
        action: checkWebUrl(UNIONPAY_FRONT_URL, { ...context, hosts: UNIONPAY_HOSTS, what: 'form action' }),
        method: 'POST',
        fields: signedFields(credential, what, 'signature'),
        hosts: UNIONPAY_HOSTS,
      };
    case 'alipay':
      // The signed order string itself, not the wrapping object: AlipayJSBridge / my.tradePay take
      // it as `orderStr` (pingpp-js `src/channels/alipay.js`), and so do the native Alipay SDKs.
      return { kind: 'sdk-token', sdk: 'alipay', token: validate(alipayAppSchema(), credential, what).orderInfo };
    case 'wx':
      // Checked for shape, then handed on as it came: the native WeChat SDK needs all of it.
      validate(wechatAppSchema(), credential, what);
      return { kind: 'sdk-token', sdk: 'wechat', token: asRecord(credential, what) };
    default:
      if ((MINI_PROGRAM_CHANNELS as readonly string[]).includes(canonical)) {
        throw new CheckoutError('unsupported_environment', `${channel} can only be paid inside a mini-program`, {
          field: 'channel',
        });
      }
      throw new CheckoutError('unsupported_channel', `the Ping++ channel ${JSON.stringify(channel)} is not supported`, {
        field: 'channel',
      });
  }
}

/** No charge or order has an `error` key, and Ping++'s error object has no `object` tag. */
function isApiError(content: Fields): boolean {
  return Object.hasOwn(content, 'error') && content.object === undefined;
}

/** `failed` with the error's `code` when Ping++ gives one (it is the more specific), else its `type`. */
function apiErrorAction(content: Fields): NextAction {
  const { error } = validate(apiErrorSchema(), content, 'the Ping++ error');
  const code = error.code != null && error.code !== '' ? error.code : error.type;
  if (code == null || code === '') {
    throw new CheckoutError('missing_field', 'the Ping++ error has neither a code nor a type', { field: 'error.type' });
  }
  return { kind: 'failed', code, ...(error.message == null ? {} : { message: error.message }) };
}

/** A charge (or order): a failure code first, then `paid`, then the credential named by `channel`. */
function chargeAction(content: Fields, context: AdapterContext): NextAction {
  if (isApiError(content)) return apiErrorAction(content);
  const raw = unwrapOrder(content);
  const charge = validate(chargeSchema(), raw, 'the charge');
  const meta: ActionMeta = {};
  // `reference` is the charge's order_no (an order's merchant_order_no): the merchant's own order
  // number, which its records and status endpoint know; the Ping++ charge id stays server-side.
  const reference = charge.order_no ?? charge.orderNo;
  if (reference != null) meta.reference = reference;
  if (charge.livemode === false) meta.testMode = true;

  if (raw.amount != null && !isIntegerAmount(raw.amount)) {
    throw new CheckoutError('invalid_amount', 'amount is not an integer number of fen', { field: 'amount' });
  }
  const failureCode = charge.failure_code ?? charge.failureCode;
  if (failureCode != null && failureCode !== '') {
    const message = charge.failure_msg ?? charge.failureMsg;
    return { kind: 'failed', code: String(failureCode), ...(message == null ? {} : { message }), ...meta };
  }
  // Only `paid === true` is paid : a Ping++ doc sample
  // has `paid: false` beside a set `time_paid`, and `paid` is the charge's state. So `time_paid` is
  // not read at all, not even when `paid` is absent: ending the checkout as paid on a timestamp could
  // leave an unpaid order marked paid, whereas acting on the credential of a charge that was in fact
  // paid is refused by the channel itself (a second payment of the same out_trade_no).
  if (charge.paid === true) return { kind: 'success', ...meta };

  const { channel } = charge;
  const credentials = raw.credential;
  // `object` is the credential's own type tag ("credential"), never a channel; and only own keys
  // count, so `constructor` or `__proto__` cannot reach Object.prototype.
  if (!isRecord(credentials) || channel === 'object' || !Object.hasOwn(credentials, channel)) {
    throw new CheckoutError('credential_mismatch', `the credential has no entry for the channel ${channel}`, {
      field: `credential.${channel}`,
    });
  }
  const credential = credentials[channel];
  if (credential == null) {
    throw new CheckoutError('credential_mismatch', `the credential for ${channel} is empty`, {
      field: `credential.${channel}`,
    });
  }
  return { ...channelAction(channel, credential, context), ...meta };
}

export const pingpp: GatewayAdapter = (response, context) => {
  const body = asRecord(readJson(response), 'the response');
  // A backend may also hand over the charge (or order) itself, without the user/v2/pay envelope,
  // or Ping++'s error object as the API answered it; an envelope's own `code` comes first.
  if (body.object === 'charge' || body.object === 'order') return chargeAction(body, context);
  if (body.code === undefined && isApiError(body)) return apiErrorAction(body);
  const envelope = validate(envelopeSchema(), body);
  // The envelope's errors are undocumented: any code but 200 is a failure.
  if (String(envelope.code) !== '200') {
    const { message } = envelope;
    return { kind: 'failed', code: String(envelope.code), ...(message == null ? {} : { message }) };
  }
  return chargeAction(readPayContent(envelope.data?.payContent), context);
};
