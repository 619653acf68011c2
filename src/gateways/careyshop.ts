/**
 * CareyShop `user.payment.pay` / `order.payment.pay`, as its payment drivers (`extend/payment/*`) answer.
 *
 * `request_type=app` answers JSON `{status, message, data}` with an SDK token in `data`.
 * `request_type=web` answers a bare HTML fragment instead: an Alipay auto-submit form, a WeChat QR
 * `<img>`, a WeChat JSAPI `<script>` or a cash-on-delivery refresh page. That HTML is read inertly
 * against the template of each driver and the action is rebuilt from its data; it is never shown.
 */

import * as z from 'zod/mini';
import { CheckoutError } from '../core/errors.js';
import {
  parseAutoSubmitForm,
  parseInert,
  readMetaRefresh,
  readSingleImage,
  readSingleScript,
} from '../core/html-form.js';
import type { NextAction, WechatJsapiParams } from '../core/next-action.js';
import { ALIPAY_HOSTS, checkWebUrl, toUrl } from '../core/safe-url.js';
import { checkQrContent, isDigitString, lazy, nonEmpty, parseJson, readBody, validate } from '../core/validate.js';
import type { AdapterContext, GatewayAdapter } from './registry.js';

const OK_STATUS = 200;

// `data` is optional: some error answers arrive without the key at all, and only a 200 needs it.
const envelopeSchema = lazy(() =>
  z.object({ status: z.int(), message: z.optional(z.string()), data: z.optional(z.unknown()) }),
);

// With `app_debug` on, ThinkPHP's own exception handler answers in place of CareyShop's envelope
// (`think\exception\Handle::convertExceptionToArray()`). `code` is the exception's: 0 for most
// errors, a severity for PHP warnings, a SQLSTATE string such as "42S22" for PDO errors.
const debugSchema = lazy(() =>
  z.object({
    code: z.union([z.int(), nonEmpty()]),
    message: z.string(),
    traces: z.unknown().check(z.refine(Array.isArray)),
  }),
);

/**
 * `traces` is what tells ThinkPHP's debug dump from an envelope that lost its `status`; without it
 * a body has no status to read and stays refused.
 */
function isDebugBody(value: unknown): boolean {
  return (
    value !== null && typeof value === 'object' && !Object.hasOwn(value, 'status') && Object.hasOwn(value, 'traces')
  );
}

// `extend/payment/weixin/Weixin.php appRequestExecute()`: `timestamp` is PHP's time(), an integer.
const wechatTokenSchema = lazy(() =>
  z.object({
    data: z.object({
      appid: nonEmpty(),
      partnerid: nonEmpty(),
      prepayid: nonEmpty(),
      noncestr: nonEmpty(),
      timestamp: z.union([z.int(), z.string().check(z.refine(isDigitString))]),
      package: nonEmpty(),
      sign: nonEmpty(),
    }),
  }),
);

// The WeChat demo's `GetJsApiParameters()`: json_encode of these six strings, in this order.
const jsapiParamsSchema = lazy(() =>
  z.strictObject({
    appId: nonEmpty(),
    timeStamp: z.string().check(z.refine(isDigitString)),
    nonceStr: nonEmpty(),
    package: nonEmpty(),
    signType: nonEmpty(),
    paySign: nonEmpty(),
  }),
);

// The Alipay SDK's `sdkExecute()` always signs these into the order string.
const ALIPAY_ORDER_KEYS = ['app_id', 'method', 'sign'] as const;

function failed(code: string, message: string | undefined): NextAction {
  return message ? { kind: 'failed', code, message } : { kind: 'failed', code };
}

function fromJson(value: unknown): NextAction {
  if (isDebugBody(value)) {
    const { code, message } = validate(debugSchema(), value);
    return failed(String(code), message);
  }
  const { status, message, data } = validate(envelopeSchema(), value);
  if (status !== OK_STATUS) return failed(String(status), message);
  // Balance payments and zero totals are settled inside CareyShop: `data: true`.
  if (data === true) return { kind: 'success' };
  if (data === undefined || data === null || data === '') {
    throw new CheckoutError('missing_field', 'data is missing', { field: 'data' });
  }
  if (typeof data === 'string') {
    const order = new URLSearchParams(data);
    if (!ALIPAY_ORDER_KEYS.every((key) => order.has(key))) {
      throw new CheckoutError('invalid_field', 'data is not an Alipay order string', { field: 'data' });
    }
    // Signed: handed on as received, never rebuilt from the parsed parameters.
    return { kind: 'sdk-token', sdk: 'alipay', token: data };
  }
  if (typeof data === 'object' && !Array.isArray(data)) {
    validate(wechatTokenSchema(), value);
    // The validated copy would drop unknown keys; the app SDK gets the object exactly as sent.
    return { kind: 'sdk-token', sdk: 'wechat', token: data as Record<string, unknown> };
  }
  throw new CheckoutError('unsupported_response', `data of type ${typeof data} is not a CareyShop answer`);
}

function alipayForm(html: string, context: AdapterContext): NextAction {
  const form = parseAutoSubmitForm(html);
  if (form.name !== 'alipaysubmit' || form.method !== 'POST') {
    throw new CheckoutError('unexpected_markup', 'the form is not the Alipay SDK form');
  }
  const action = checkWebUrl(form.action, {
    ...context,
    hosts: ALIPAY_HOSTS,
    what: 'form action',
  });
  return { kind: 'form', action, method: form.method, fields: form.fields, hosts: ALIPAY_HOSTS };
}

// `Weixin.php pcRequestExecute()`: CareyShop's own QR renderer, `text` = urlencode(code_url).
const QR_RENDERER_PATH = /\/api\/v\d+\/qrcode\/method\/get\.qrcode\.item(?:\.html)?$/;
const WECHAT_CODE = /^(?:weixin|https):\/\//i;
const PERCENT_ENCODED_CODE = /^(?:weixin|https)%3A/i;

function wechatQr(src: string): NextAction {
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    throw new CheckoutError('unexpected_markup', 'the QR image src is not an absolute URL');
  }
  const keys = [...url.searchParams.keys()];
  if (!/^https?:$/.test(url.protocol) || !QR_RENDERER_PATH.test(url.pathname) || keys.join() !== 'text') {
    throw new CheckoutError('unexpected_markup', 'the image is not the CareyShop QR renderer with one text');
  }
  let code = url.searchParams.get('text') ?? '';
  // urlencode() before a URL builder that encodes again (ThinkPHP with url_common_param) leaves the
  // code encoded twice; a code is never itself a percent-encoded URL, so one more decode is safe.
  if (PERCENT_ENCODED_CODE.test(code)) {
    try {
      code = decodeURIComponent(code);
    } catch {
      throw new CheckoutError('unexpected_markup', 'the QR text is not valid percent-encoding');
    }
  }
  if (!WECHAT_CODE.test(code)) throw new CheckoutError('unexpected_markup', 'the QR text is not a WeChat code');
  return { kind: 'qr', content: checkQrContent(code, 'the QR text') };
}

function codRedirect(target: string, context: AdapterContext): NextAction {
  const checked = checkWebUrl(target, {
    ...context,
    what: 'refresh target',
  });
  // The query values arrive unencoded (`info=支付结算完成`). `href` encodes them as UTF-8, as the
  // CareyShop page would have, whatever the encoding of the merchant page that navigates.
  return { kind: 'redirect', url: toUrl(checked).href };
}

/**
 * `Weixin.php jsRequestExecute()` word for word, `@PARAMETERS@` standing for the JSON the demo
 * splices in. Only runs of whitespace may differ (indentation, line endings), so it is kept here
 * without its indentation.
 */
const JSAPI_TEMPLATE = `//调用微信JS api 支付
function jsApiCall()
{
WeixinJSBridge.invoke(
'getBrandWCPayRequest',@PARAMETERS@,
function(res){
//WeixinJSBridge.log(res.err_msg);
if(res.err_msg === "get_brand_wcpay_request:ok") {
location.href='/';
}else{
//alert(res.err_code+res.err_desc+res.err_msg);
location.href='/';
}
}
)
}

function callpay()
{
if (typeof WeixinJSBridge == "undefined"){
if( document.addEventListener ){
document.addEventListener('WeixinJSBridgeReady', jsApiCall, false);
}else if (document.attachEvent){
document.attachEvent('WeixinJSBridgeReady', jsApiCall);
document.attachEvent('onWeixinJSBridgeReady', jsApiCall);
}
}else{
jsApiCall();
}
}
callpay();`;

function templatePattern(text: string): string {
  return text
    .trim()
    .split(/\s+/)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
}

/** The whole script, anchored; the one capture is the flat JSON object of the JSAPI parameters. */
const jsapiPattern = lazy(() => {
  const [before = '', after = ''] = JSAPI_TEMPLATE.split('@PARAMETERS@');
  return new RegExp(`^\\s*${templatePattern(before)}\\s*(\\{[^{}]*\\})\\s*${templatePattern(after)}\\s*$`);
});

function wechatJsapi(script: string): NextAction {
  const json = jsapiPattern().exec(script)?.[1];
  if (json === undefined) throw new CheckoutError('unexpected_markup', 'the <script> is not the WeChat JSAPI demo');
  const params: WechatJsapiParams = validate(jsapiParamsSchema(), parseJson(json, 'the JSAPI parameters'));
  return { kind: 'wechat-jsapi', params };
}

function fromHtml(html: string, context: AdapterContext): NextAction {
  // Each reader re-checks the whole document against its own template; this only picks the reader.
  // A parsed <form> can only come from `<form` in the text, and the form reader parses for itself.
  if (/<form/i.test(html)) return alipayForm(html, context);
  const doc = parseInert(html);
  if (doc.querySelector('img') !== null) return wechatQr(readSingleImage(doc));
  if (doc.querySelector('meta') !== null) return codRedirect(readMetaRefresh(doc), context);
  if (doc.querySelector('script') !== null) return wechatJsapi(readSingleScript(doc, { type: 'text/javascript' }));
  throw new CheckoutError('unexpected_markup', 'the HTML matches no CareyShop template');
}

export const careyshop: GatewayAdapter = (response, context) => {
  const body = readBody(response);
  return body.type === 'text' ? fromHtml(body.text, context) : fromJson(body.value);
};
