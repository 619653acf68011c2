/**
 * The `sdk-token` action inside a merchant's own app: the token goes to the native code around the
 * webview (which runs the Alipay or WeChat SDK), and the app reports back with a DOM event.
 *
 * The app registers one of these, named exactly so:
 * - iOS (WKWebView): a script message handler `cashdesk`
 *   (`userContentController.add(handler, name: "cashdesk")`); it receives the message as an
 *   object (an NSDictionary), since WebKit carries plain JSON-like values across.
 * - Android (WebView): `addJavascriptInterface(bridge, "CashdeskBridge")` with a
 *   `@JavascriptInterface public void postMessage(String json)`; an injected Java object only
 *   takes strings and primitives, so it receives JSON text.
 * - React Native (react-native-webview): `onMessage`, reading `event.nativeEvent.data`, which is
 *   always a string: JSON text.
 */
import type { NativeBridgeKind } from '../core/environment.js';
import { detectNativeBridge } from '../core/environment.js';
import { CheckoutError } from '../core/errors.js';
import type { SdkName } from '../core/next-action.js';

export const NATIVE_MESSAGE_TYPE = 'cashdesk:sdk-token';

export interface NativeMessage {
  type: typeof NATIVE_MESSAGE_TYPE;
  version: 1;
  orderId: string;
  sdk: SdkName;
  /** Passed on unchanged: a signed order string stays the same string inside the JSON. */
  token: string | Record<string, unknown>;
}

interface PostTarget {
  postMessage(body: unknown): void;
}

interface BridgeWindow {
  webkit?: { messageHandlers?: { cashdesk?: PostTarget } };
  CashdeskBridge?: PostTarget;
  ReactNativeWebView?: PostTarget;
}

/**
 * Hands `message` to the native bridge the webview exposes and returns which one took it, or
 * undefined when there is none (a plain browser: the caller shows something else). Throws
 * `CheckoutError('bridge_failed')` when the bridge itself throws (an iOS handler given a value it
 * cannot carry, an Android interface that is gone).
 */
export function postToNative(message: NativeMessage, win: Window = window): NativeBridgeKind | undefined {
  const kind = detectNativeBridge(win);
  if (kind === undefined) return undefined;
  // A fresh object with the five documented fields only, whatever else the caller's object holds.
  const body: NativeMessage = {
    type: message.type,
    version: message.version,
    orderId: message.orderId,
    sdk: message.sdk,
    token: message.token,
  };
  const w = win as unknown as BridgeWindow;
  try {
    // Called as methods, never detached: both WebKit's handler and an Android injected object
    // refuse a call whose `this` is not themselves.
    if (kind === 'ios') w.webkit!.messageHandlers!.cashdesk!.postMessage(body);
    else if (kind === 'android') w.CashdeskBridge!.postMessage(JSON.stringify(body));
    else w.ReactNativeWebView!.postMessage(JSON.stringify(body));
  } catch (cause) {
    throw new CheckoutError('bridge_failed', `the ${kind} bridge refused the message`, { cause });
  }
  return kind;
}

export const NATIVE_RESULT_EVENT = 'cashdesk-native-result';

export const NATIVE_OUTCOMES = ['success', 'cancel', 'fail', 'unknown'] as const;
export type NativeOutcome = (typeof NATIVE_OUTCOMES)[number];

export interface NativeResult {
  orderId: string;
  outcome: NativeOutcome;
  message?: string;
}

function toNativeResult(detail: unknown): NativeResult | undefined {
  if (typeof detail !== 'object' || detail === null) return undefined;
  const { orderId, outcome, message } = detail as Record<string, unknown>;
  if (typeof orderId !== 'string' || orderId === '') return undefined;
  if (typeof outcome !== 'string' || !(NATIVE_OUTCOMES as readonly string[]).includes(outcome)) return undefined;
  if (message !== undefined && typeof message !== 'string') return undefined;
  const result: NativeResult = { orderId, outcome: outcome as NativeOutcome };
  if (message !== undefined) result.message = message;
  return result;
}

/**
 * Calls `callback` with each result the app reports, and returns the function that stops
 * listening. The app reports by running, in the webview (with the values JSON-encoded):
 *
 * ```js
 * window.dispatchEvent(new CustomEvent('cashdesk-native-result', { detail: { orderId: 'A1001', outcome: 'success' } }))
 * ```
 *
 * `outcome` is one of `success`, `cancel`, `fail`, `unknown`; an optional `message` is a string.
 * Malformed details are ignored. Like WeChat's "ok", a `success` here is the SDK's word, not
 * proof of payment: anything in the page can dispatch this event, so the caller still asks the
 * merchant backend.
 */
export function onNativeResult(callback: (result: NativeResult) => void, win: Window = window): () => void {
  const listener = (event: Event) => {
    const result = toNativeResult((event as Partial<CustomEvent>).detail);
    if (result !== undefined) callback(result);
  };
  win.addEventListener(NATIVE_RESULT_EVENT, listener);
  return () => win.removeEventListener(NATIVE_RESULT_EVENT, listener);
}
