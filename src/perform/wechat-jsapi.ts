/**
 * The `wechat-jsapi` action: WeChat's in-app payment sheet, through the `WeixinJSBridge` object
 * that the WeChat browser injects into every page (no script to load, no JS-SDK signature).
 */
import { bridgeAt } from '../core/environment.js';
import { CheckoutError } from '../core/errors.js';
import type { WechatJsapiParams } from '../core/next-action.js';
import { callWhenReady } from './app-bridge.js';

export type WechatPayOutcome = { outcome: 'ok' } | { outcome: 'cancel' } | { outcome: 'fail'; message?: string };

export const WECHAT_READY_TIMEOUT = 6000;

export interface WechatPayOptions {
  /** How long to wait for `WeixinJSBridgeReady` when the bridge is not there yet, in ms (default 6000). */
  readyTimeout?: number;
  signal?: AbortSignal;
}

type Invoke = (api: string, params: Record<string, string>, callback: (res: unknown) => void) => void;
interface WeixinJSBridgeLike {
  invoke: Invoke;
}

const PARAM_NAMES = ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign'] as const;

function currentBridge(): WeixinJSBridgeLike | undefined {
  // `<iframe name="WeixinJSBridge">` in the page must neither pass for the bridge nor throw.
  return typeof bridgeAt(window, ['WeixinJSBridge', 'invoke']) === 'function'
    ? (window as unknown as { WeixinJSBridge: WeixinJSBridgeLike }).WeixinJSBridge
    : undefined;
}

function inWechat(): boolean {
  return /MicroMessenger/i.test(globalThis.navigator?.userAgent ?? '');
}

/** Exactly the six signed strings, in a fresh object: nothing else of the action reaches WeChat. */
function payRequest(params: WechatJsapiParams): Record<string, string> {
  const request: Record<string, string> = {};
  for (const name of PARAM_NAMES) {
    const value: unknown = params?.[name];
    if (typeof value !== 'string') {
      throw new CheckoutError('invalid_field', `WeChat pay parameter ${name} is not a string`, {
        field: `params.${name}`,
      });
    }
    request[name] = value;
  }
  return request;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * `err_msg` is `get_brand_wcpay_request:ok|cancel|fail`. Some WeChat builds answer in `errMsg`
 * and spell the API `getBrandWCPayRequest:ok` (seen in merchant code that handles both), so the
 * prefix is compared loosely; anything else is a failure.
 */
export function toWechatOutcome(res: unknown): WechatPayOutcome {
  const answer = (typeof res === 'object' && res !== null ? res : {}) as Record<string, unknown>;
  const errMsg = text(answer.err_msg) ?? text(answer.errMsg);
  const match = /^(?:get_brand_wcpay_request|getbrandwcpayrequest):(ok|cancel|fail)$/i.exec(errMsg ?? '');
  const result = match?.[1]?.toLowerCase();
  if (result === 'ok') return { outcome: 'ok' };
  if (result === 'cancel') return { outcome: 'cancel' };
  const message = text(answer.err_desc) ?? text(answer.errMsg) ?? errMsg;
  return message === undefined ? { outcome: 'fail' } : { outcome: 'fail', message };
}

/**
 * Opens WeChat's payment sheet with `params` and resolves with what the sheet reports.
 *
 * `ok` is NOT proof of payment: WeChat itself says the callback "is not guaranteed to be
 * reliable", and anything in the page can fake it. The caller must ask the merchant backend, which
 * knows from the gateway's notify, before telling anyone the order is paid.
 *
 * When the bridge is not injected yet, waits for `WeixinJSBridgeReady` on the document, for at most
 * `readyTimeout` (then `CheckoutError('bridge_timeout')`). Outside WeChat (no bridge, no
 * `MicroMessenger` in the user agent) rejects at once with `bridge_unavailable`; a bridge that
 * throws gives `bridge_failed`. Once the sheet is up there is no time limit (a shopper may take
 * minutes), but `signal` still rejects with `aborted` and a later callback is ignored.
 */
export function invokeWechatPay(params: WechatJsapiParams, options: WechatPayOptions = {}): Promise<WechatPayOutcome> {
  let request: Record<string, string>;
  try {
    request = payRequest(params);
  } catch (error) {
    return Promise.reject(error);
  }
  return callWhenReady<WeixinJSBridgeLike, WechatPayOutcome>({
    name: 'WeixinJSBridge',
    what: 'the WeChat payment',
    find: currentBridge,
    inApp: inWechat,
    where: 'the WeChat browser',
    readyTimeout: Math.max(0, options.readyTimeout ?? WECHAT_READY_TIMEOUT),
    signal: options.signal,
    call: (bridge, answer) => bridge.invoke('getBrandWCPayRequest', request, (res) => answer(toWechatOutcome(res))),
  });
}
