/**
 * The `mini-program` action inside a mini-program's web-view: the page cannot pay there, so the
 * payment is handed to a page of the merchant's own mini-program, which pays and comes back.
 *
 * - WeChat: the web-view page may use `wx.miniProgram.navigateTo/navigateBack/postMessage/getEnv`
 *   from the JS-SDK (jweixin 1.3.2 or later), "parameters the same as the mini-program's API"
 *   (https://developers.weixin.qq.com/miniprogram/en/dev/component/web-view.html). The
 *   mini-program page then calls `wx.requestPayment({timeStamp, nonceStr, package, signType,
 *   paySign})`, whose `requestPayment:ok` / `requestPayment:fail cancel` is its own to read.
 * - Alipay: the web-view page includes `https://appx/web-view.min.js`, which gives `my.navigateTo`,
 *   `my.navigateBack`, `my.postMessage`, `my.onMessage` and `my.getEnv`
 *   (https://help.aliyun.com/document_detail/117862.html, Alipay's web-view component). The
 *   mini-program page calls `my.tradePay({tradeNO})` (resultCode 9000 paid, 8000 processing,
 *   4000 failed, 6001 canceled, 6002 network, 6004 unknown:
 *   https://miniprogram.alipay.com/docs-alipayconnect/miniprogram_alipayconnect/mpdev/api_openapi_tradepay).
 *
 * Neither web-view receives the payment's result (WeChat's web-view gets no message from the
 * mini-program at all), so the page learns it as it learns any other: from the merchant backend,
 * asked again once the shopper is back (README, "Mini-program web-views").
 */
import { bridgeAt } from '../core/environment.js';
import { CheckoutError } from '../core/errors.js';
import type { ActionOf, MiniProgram } from '../core/next-action.js';

/** The merchant's mini-program page the payment is handed to, unless the page names its own. */
export const DEFAULT_MINI_PROGRAM_PAGE = '/pages/cashdesk-pay/index';

/** The parameters in the hand-off URL, after `orderId`, in this order. */
export const HAND_OFF_PARAMS: Record<MiniProgram, readonly string[]> = {
  wechat: ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign'],
  alipay: ['tradeNO'],
};

/** The script each web-view needs for the hand-off, named in the error when it is missing. */
export const WEB_VIEW_SCRIPTS: Record<MiniProgram, string> = {
  wechat: 'https://res.wx.qq.com/open/js/jweixin-1.6.0.js',
  alipay: 'https://appx/web-view.min.js',
};

/** How long `getEnv` may take to answer, in ms. */
export const GET_ENV_TIMEOUT = 3000;
/** How long a `navigateTo` that neither succeeds nor fails is waited for before it counts as done. */
export const NAVIGATE_TIMEOUT = 1500;

interface WebViewApi {
  navigateTo(options: { url: string; success?: () => void; fail?: (res?: { errMsg?: string }) => void }): void;
  getEnv?(callback: (res: { miniprogram?: boolean }) => void): void;
}

export interface HandOffOptions {
  /** The mini-program page, an absolute path inside the mini-program (default `/pages/cashdesk-pay/index`). */
  page?: string | undefined;
  signal?: AbortSignal;
  getEnvTimeout?: number;
  navigateTimeout?: number;
}

/**
 * `page?orderId=…&appId=…&timeStamp=…&nonceStr=…&package=…&signType=…&paySign=…` for WeChat,
 * `page?orderId=…&tradeNO=…` for Alipay: each value through `encodeURIComponent` (a `package` is
 * `prepay_id=…`, a `paySign` may hold `+`, `/` and `=`), so the mini-program page decodes each with
 * `decodeURIComponent`.
 */
export function handOffUrl(
  action: ActionOf<'mini-program'>,
  orderId: string,
  page = DEFAULT_MINI_PROGRAM_PAGE,
): string {
  if (!page.startsWith('/') || /[#\s]/.test(page)) {
    throw new CheckoutError(
      'invalid_field',
      `the mini-program page ${JSON.stringify(page)} is not an absolute page path`,
      {
        field: 'mini-program-page',
      },
    );
  }
  const pairs: [string, string][] = [['orderId', orderId]];
  for (const name of HAND_OFF_PARAMS[action.platform]) {
    const value: unknown = action.params?.[name];
    if (typeof value !== 'string' || value === '') {
      throw new CheckoutError('invalid_field', `the mini-program payment parameter ${name} is missing`, {
        field: `params.${name}`,
      });
    }
    pairs.push([name, value]);
  }
  const query = pairs.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
  return `${page}${page.includes('?') ? '&' : '?'}${query}`;
}

/** The web-view's API object: `wx.miniProgram` (jweixin) or `my` (Alipay's web-view script). */
function webViewApi(platform: MiniProgram, win: object): WebViewApi | undefined {
  const path = platform === 'wechat' ? ['wx', 'miniProgram'] : ['my'];
  // `<iframe name="wx">` or `<iframe name="my">` must neither pass for the SDK nor throw.
  const api = bridgeAt(win, path);
  return typeof bridgeAt(win, [...path, 'navigateTo']) === 'function' ? (api as WebViewApi) : undefined;
}

function missing(platform: MiniProgram): CheckoutError {
  const sdk = platform === 'wechat' ? "WeChat's JS-SDK (wx.miniProgram)" : "Alipay's web-view script (my)";
  return new CheckoutError(
    'bridge_unavailable',
    `the page runs in a ${platform} mini-program's web-view but has not loaded ${sdk}: add <script src="${WEB_VIEW_SCRIPTS[platform]}"></script>`,
  );
}

/** Asks `getEnv` whether the page is in a mini-program's web-view; true where there is no `getEnv`. */
function inMiniProgram(api: WebViewApi, timeout: number, signal?: AbortSignal): Promise<boolean> {
  const getEnv = api.getEnv;
  if (typeof getEnv !== 'function') return Promise.resolve(true);
  return new Promise<boolean>((resolve, reject) => {
    // However the wait ends, the timer and the abort listener go with it.
    const end = (settle: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const timer = setTimeout(
      () => end(() => reject(new CheckoutError('bridge_timeout', `getEnv did not answer in ${timeout} ms`))),
      timeout,
    );
    const onAbort = () => end(() => reject(new CheckoutError('aborted', 'the mini-program hand-off was aborted')));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      getEnv.call(api, (res) => end(() => resolve(res?.miniprogram === true)));
    } catch (cause) {
      end(() => reject(new CheckoutError('bridge_failed', 'getEnv threw', { cause })));
    }
  });
}

/**
 * Hands the payment to the merchant's mini-program page with `navigateTo`; resolves once it is
 * handed over. Rejects with `bridge_unavailable` when the page has not loaded the platform's
 * web-view script (the message names the script) or `getEnv` says this is no mini-program.
 */
export async function handToMiniProgram(
  action: ActionOf<'mini-program'>,
  orderId: string,
  options: HandOffOptions = {},
  win: object = window,
): Promise<void> {
  const url = handOffUrl(action, orderId, options.page || undefined);
  const api = webViewApi(action.platform, win);
  if (api === undefined) throw missing(action.platform);
  if (!(await inMiniProgram(api, options.getEnvTimeout ?? GET_ENV_TIMEOUT, options.signal))) {
    throw new CheckoutError('bridge_unavailable', `${action.platform}'s getEnv says the page is not in a mini-program`);
  }
  if (options.signal?.aborted) throw new CheckoutError('aborted', 'the mini-program hand-off was aborted');
  // Both SDKs answer navigateTo with `success` or `fail` (a page that is not in the mini-program, a
  // tabBar page): a failure is the shopper's to retry, not a wait. An SDK that never answers is
  // taken as handed over once `navigateTimeout` has passed.
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const done = (error?: CheckoutError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => done(), options.navigateTimeout ?? NAVIGATE_TIMEOUT);
    try {
      // Called as a method: the SDKs' functions expect their own object as `this`.
      api.navigateTo({
        url,
        success: () => done(),
        fail: (res) =>
          done(new CheckoutError('bridge_failed', `navigateTo failed: ${String(res?.errMsg ?? 'no reason given')}`)),
      });
    } catch (cause) {
      done(new CheckoutError('bridge_failed', 'navigateTo threw', { cause }));
    }
  });
}
