/**
 * Alipay's cashier inside the Alipay app, through the `AlipayJSBridge` object the app's browser
 * injects into every page (no script to load): `AlipayJSBridge.call('tradePay', {orderStr} |
 * {tradeNO}, callback)`, the callback given `{resultCode, memo?, result?, callbackUrl?}`.
 *
 * As Alipay documents it (https://global.alipay.com/docs/ac/global/jsapitradepay,
 * https://docs.antom.com/ac/solution_api/trade_pay): the bridge may not exist yet when the page's
 * script runs, and the documented way to wait is `document.addEventListener('AlipayJSBridgeReady',
 * …)` when `window.AlipayJSBridge` is missing; `resultCode` is a string (9000, 8000, 4000, 6001,
 * 6002, 6004, 99). `orderStr` is the signed app-payment order string, `tradeNO` a trade Alipay
 * already created; `my.tradePay` takes the same two
 * (https://miniprogram.alipay.com/docs-alipayconnect/miniprogram_alipayconnect/mpdev/api_openapi_tradepay).
 * pingpp-js calls it the same way: `src/channels/alipay.js` (`{orderStr: credential.orderInfo}`
 * when `AlipayClient` is in the user agent, after `AlipayJSBridgeReady`) and
 * `src/channels/alipay_qr.js` (`{tradeNO: credential.transaction_no}`), PingPlusPlus/pingpp-js.
 *
 * What a `resultCode` means is the flow's rule (`alipayVerdict`, src/flow/in-app.ts): this only
 * calls the bridge and reports what it said.
 */
import { bridgeAt } from '../core/environment.js';
import { CheckoutError } from '../core/errors.js';
import type { SdkTokenAction } from '../core/next-action.js';
import { callWhenReady } from './app-bridge.js';

export const ALIPAY_READY_TIMEOUT = 6000;

/** What the cashier answered: `resultCode` as a string, and Alipay's own words, when any. */
export interface AlipayPayResult {
  resultCode: string;
  memo?: string;
}

export interface AlipayPayOptions {
  /** How long to wait for `AlipayJSBridgeReady` when the bridge is not there yet, in ms (default 6000). */
  readyTimeout?: number;
  signal?: AbortSignal;
}

type Call = (api: string, params: Record<string, string>, callback: (res: unknown) => void) => void;
interface AlipayJSBridgeLike {
  call: Call;
}

function currentBridge(): AlipayJSBridgeLike | undefined {
  // `<iframe name="AlipayJSBridge">` in the page must neither pass for the bridge nor throw.
  return typeof bridgeAt(window, ['AlipayJSBridge', 'call']) === 'function'
    ? (window as unknown as { AlipayJSBridge: AlipayJSBridgeLike }).AlipayJSBridge
    : undefined;
}

function inAlipay(): boolean {
  return /AlipayClient/i.test(globalThis.navigator?.userAgent ?? '');
}

/**
 * `tradePay`'s one argument, in a fresh object: `{orderStr}` for an order string (passed on
 * unchanged: it is signed), `{tradeNO}` for a trade number (the key's case matters to Alipay).
 */
export function tradePayRequest(token: SdkTokenAction['token']): Record<string, string> {
  if (typeof token === 'string' && token !== '') return { orderStr: token };
  const tradeNO: unknown = typeof token === 'object' && token !== null ? token.tradeNO : undefined;
  if (typeof tradeNO === 'string' && tradeNO !== '') return { tradeNO };
  throw new CheckoutError('invalid_field', 'the Alipay token is neither an order string nor {tradeNO}', {
    field: 'token',
  });
}

/** The callback's argument, read defensively: some builds give the code as a number. */
export function toAlipayResult(res: unknown): AlipayPayResult {
  const answer = (typeof res === 'object' && res !== null ? res : {}) as Record<string, unknown>;
  const code = answer.resultCode;
  const resultCode = typeof code === 'string' || typeof code === 'number' ? String(code) : '';
  const memo = typeof answer.memo === 'string' && answer.memo !== '' ? answer.memo : undefined;
  return memo === undefined ? { resultCode } : { resultCode, memo };
}

/**
 * Opens Alipay's cashier for `token` and resolves with what it answered when it closes.
 *
 * 9000 is NOT proof of payment: anything in the page can call the callback. The caller asks the
 * merchant backend, which knows from Alipay's notify.
 *
 * When the bridge is not injected yet, waits for `AlipayJSBridgeReady` on the document, for at
 * most `readyTimeout` (then `CheckoutError('bridge_timeout')`). Outside the Alipay app (no bridge,
 * no `AlipayClient` in the user agent) rejects at once with `bridge_unavailable`; a bridge that
 * throws gives `bridge_failed`. Once the cashier is up there is no time limit, but `signal` still
 * rejects with `aborted`, and a later callback is ignored.
 */
export function invokeAlipayTradePay(
  token: SdkTokenAction['token'],
  options: AlipayPayOptions = {},
): Promise<AlipayPayResult> {
  let request: Record<string, string>;
  try {
    request = tradePayRequest(token);
  } catch (error) {
    return Promise.reject(error);
  }
  return callWhenReady<AlipayJSBridgeLike, AlipayPayResult>({
    name: 'AlipayJSBridge',
    what: 'the Alipay payment',
    find: currentBridge,
    inApp: inAlipay,
    where: 'the Alipay app',
    readyTimeout: Math.max(0, options.readyTimeout ?? ALIPAY_READY_TIMEOUT),
    signal: options.signal,
    // Called as a method: the bridge's `this` is itself.
    call: (bridge, answer) => bridge.call('tradePay', request, (res) => answer(toAlipayResult(res))),
  });
}
