/**
 * The in-app browsers' own rules, as data: what Alipay's `tradePay` answer means, and which links
 * open (or cannot open) where the page runs. Pure; `next()` applies them.
 */

/**
 * What the flow does with a `resultCode` of `AlipayJSBridge.call('tradePay', …)`:
 * - `ask`: ask the backend now. 9000 ("the payment succeeds") is the cashier's word, not proof of
 *   payment (anything in the page can call the callback, and the notify is what settles an order);
 *   8000 ("the trade is processing") and 6004 ("unknown payment result, might be success") may
 *   still end paid.
 * - `cancel`: back to the methods with the same order: 6001 ("cancelled by the user"), and 99 (iOS:
 *   the shopper left the cashier through "Forget the password").
 * - `fail`: a failure with a retry of the same order string: 4000 ("the payment fails"), 6002
 *   ("network connection error"), and any code the documentation does not list.
 *
 * The codes as Alipay documents them for `jsapi:tradePay`
 * (https://global.alipay.com/docs/ac/global/jsapitradepay, https://docs.antom.com/ac/solution_api/trade_pay)
 * and for `my.tradePay` (https://miniprogram.alipay.com/docs-alipayconnect/miniprogram_alipayconnect/mpdev/api_openapi_tradepay).
 * pingpp-js (`src/channels/alipay.js`, `alipay_qr.js`) reads only 9000 and 6001, and calls
 * everything else a failure.
 */
export type AlipayVerdict = 'ask' | 'cancel' | 'fail';

/** Alipay's "unknown payment result, might be success": also what a page that lost the answer knows. */
export const ALIPAY_RESULT_UNKNOWN = '6004';
const ASK = ['9000', '8000', ALIPAY_RESULT_UNKNOWN];
const CANCEL = ['6001', '99'];

export function alipayVerdict(resultCode: string): AlipayVerdict {
  if (ASK.includes(resultCode)) return 'ask';
  if (CANCEL.includes(resultCode)) return 'cancel';
  return 'fail';
}

/**
 * A WeChat mini-program link (`weixin://dl/business/?t=…`, `?ticket=…`, or the plain
 * `?appid=…&path=…`). WeChat opens these from outside WeChat only: "生成的 URL Scheme 仅支持从微信外打开小程序。
 * 微信内的网页如需打开小程序请使用微信开放标签" (https://developers.weixin.qq.com/miniprogram/dev/framework/open-ability/url-scheme.html).
 */
export function isWechatMiniProgramLink(url: string): boolean {
  return /^weixin:\/\/dl\/business\/?(?:[?#]|$)/i.test(url.trim());
}

/** An Alipay link (`alipays:`, `alipay:`): inside the Alipay app it opens in place, no app to launch. */
export function isAlipayLink(url: string): boolean {
  return /^alipays?:/i.test(url.trim());
}
