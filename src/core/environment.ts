/**
 * Where the checkout runs: desktop or phone, which OS, and which in-app browser or webview. The
 * create request carries the answer (`client`), because the gateways choose the response from it
 * (epay `device`, CareyShop's `request_type` and User-Agent switch, Ping++'s channel).
 */

export const CLIENT_TYPES = ['pc', 'mobile', 'wechat', 'alipay', 'qq'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

export const NATIVE_BRIDGES = ['ios', 'android', 'react-native'] as const;
export type NativeBridgeKind = (typeof NATIVE_BRIDGES)[number];

export type Os = 'ios' | 'android' | 'other';
export type InApp = 'wechat' | 'wechat-miniprogram' | 'alipay' | 'alipay-miniprogram' | 'qq' | 'webview';

export interface Environment {
  mobile: boolean;
  os: Os;
  /** The in-app browser or webview the page runs in, if any. */
  inApp?: InApp;
  /** The native bridge an app webview exposes to cashdesk, if any. */
  nativeBridge?: NativeBridgeKind;
}

/** What the create request sends as `client`. */
export interface ClientInfo {
  type: ClientType;
  os: Os;
  inApp: InApp | null;
}

interface BridgeWindow {
  __wxjs_environment?: string;
}

/**
 * A value that stands for a window: what `window.X` gives when the page merely has an
 * `<iframe name="X">` (HTML's named access on the Window object). Markup injected into a page,
 * without any script, must never pass for an app's bridge.
 */
function isWindowLike(value: unknown): boolean {
  // `window` is one of the few properties a cross-origin WindowProxy still lets anyone read.
  return typeof value === 'object' && value !== null && (value as { window?: unknown }).window === value;
}

/**
 * `root.path[0].path[1]…`, for an object an app or in-app browser injects into the page; undefined
 * at anything missing or window-like, and never throws.
 */
export function bridgeAt(root: object, path: readonly string[]): unknown {
  let current: unknown = root;
  try {
    for (const key of path) {
      current = (current as Record<string, unknown> | undefined)?.[key];
      if (current === undefined || current === null || isWindowLike(current)) return undefined;
    }
  } catch {
    // A cross-origin frame's WindowProxy throws a SecurityError for any other property.
    return undefined;
  }
  return current;
}

function hasPostMessage(root: object, path: readonly string[]): boolean {
  return typeof bridgeAt(root, [...path, 'postMessage']) === 'function';
}

export function detectNativeBridge(win: object = globalThis): NativeBridgeKind | undefined {
  if (hasPostMessage(win, ['webkit', 'messageHandlers', 'cashdesk'])) return 'ios';
  if (hasPostMessage(win, ['CashdeskBridge'])) return 'android';
  if (hasPostMessage(win, ['ReactNativeWebView'])) return 'react-native';
  return undefined;
}

export function detectEnvironment(
  userAgent: string = globalThis.navigator?.userAgent ?? '',
  win: object = globalThis,
): Environment {
  const ua = userAgent;
  const os: Os = /iPhone|iPad|iPod/i.test(ua) ? 'ios' : /Android/i.test(ua) ? 'android' : 'other';
  // iPadOS reports a desktop Safari UA; touch points tell it apart from a Mac.
  const ipad = /Macintosh/i.test(ua) && (globalThis.navigator?.maxTouchPoints ?? 0) > 1;
  const mobile = os !== 'other' || ipad || /Mobile|Windows Phone|HarmonyOS/i.test(ua);
  const nativeBridge = detectNativeBridge(win);
  const env: Environment = { mobile, os: ipad ? 'ios' : os };
  if (/MicroMessenger/i.test(ua)) {
    const mini = /miniProgram/i.test(ua) || (win as BridgeWindow).__wxjs_environment === 'miniprogram';
    env.inApp = mini ? 'wechat-miniprogram' : 'wechat';
  } else if (/AlipayClient/i.test(ua)) {
    // Alipay's web-view names the mini-program in the user agent (`AlipayClient/… MiniProgram`);
    // `my.getEnv` confirms it once the web-view script is there (src/perform/mini-program.ts).
    env.inApp = /MiniProgram/i.test(ua) ? 'alipay-miniprogram' : 'alipay';
  } else if (/\bQQ\/\d/i.test(ua)) {
    env.inApp = 'qq';
  } else if (nativeBridge !== undefined) {
    env.inApp = 'webview';
  }
  if (nativeBridge !== undefined) env.nativeBridge = nativeBridge;
  return env;
}

export function clientInfo(env: Environment): ClientInfo {
  let type: ClientType = env.mobile ? 'mobile' : 'pc';
  if (env.inApp === 'wechat' || env.inApp === 'wechat-miniprogram') type = 'wechat';
  else if (env.inApp === 'alipay' || env.inApp === 'alipay-miniprogram') type = 'alipay';
  else if (env.inApp === 'qq') type = 'qq';
  return { type, os: env.os, inApp: env.inApp ?? null };
}

/**
 * Pages WeChat's in-app browser refuses to show: Alipay's (WeChat blocks them outright) and
 * WeChat's own H5 payment page (`checkmweb`), which only works from another browser.
 */
const BLOCKED_IN_WECHAT = [/(^|\.)alipay\.com$/i, /(^|\.)alipaydev\.com$/i, /(^|\.)alipay\.hk$/i];
const WECHAT_H5_PAY = /^wx\.tenpay\.com$/i;

/** Whether a navigation to `url` would dead-end in the in-app browser the page runs in. */
export function blockedInApp(url: string, env: Environment): boolean {
  if (env.inApp !== 'wechat' && env.inApp !== 'wechat-miniprogram') return false;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return BLOCKED_IN_WECHAT.some((pattern) => pattern.test(host)) || WECHAT_H5_PAY.test(host);
}
