/**
 * The gallery's simulated surroundings: WeChat's in-app browser (its `WeixinJSBridge` and payment
 * sheet) and a merchant app's webview (a React Native bridge that runs a pretend Alipay or WeChat
 * SDK). Each is installed only for its environment; the gallery reloads the page to switch, so a
 * page never holds two, and each installer also returns its own undo.
 *
 * The sheets are what the shopper would see in the real app. They are built with DOM APIs (no
 * markup strings) and styled by classes from demo.css, so the page keeps working under a strict CSP.
 */

/** What a bridge needs to know about the order being paid, asked at the moment it is needed. */
export interface BridgeContext {
  gateway: string;
  orderId(): string;
  /** The amount as the shopper reads it, e.g. "CN¥99.00". */
  amountText(): string;
  /** A line for the gallery's event log: what the bridge was asked and what it answered. */
  note(source: string, text: string, detail?: unknown): void;
}

type Child = Node | string;

/** A small DOM builder: attributes are set as attributes, text goes in as text nodes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children);
  return node;
}

let sheetCount = 0;

interface SheetChoice<T> {
  label: string;
  value: T;
  primary?: boolean;
}

interface SheetOptions<T> {
  className: string;
  tag: string;
  title: string;
  amount: string;
  details: [string, string][];
  choices: SheetChoice<T>[];
  /** What closing the sheet with Escape means. */
  dismiss: T;
  extra?: Node;
}

/** A modal sheet with a few buttons; resolves with the chosen value, removing itself first. */
function openSheet<T>(options: SheetOptions<T>): Promise<T> {
  sheetCount += 1;
  const titleId = `sim-sheet-title-${sheetCount}`;
  const amountId = `sim-sheet-amount-${sheetCount}`;
  const dialog = el('dialog', {
    class: `sim-sheet ${options.className}`,
    'aria-labelledby': titleId,
    'aria-describedby': amountId,
  });
  const list = el('dl', { class: 'sim-details' });
  for (const [term, value] of options.details) list.append(el('dt', {}, term), el('dd', {}, value));
  const buttons = el('div', { class: 'sim-buttons' });
  dialog.append(
    el('p', { class: 'sim-tag' }, options.tag),
    el('h2', { id: titleId, class: 'sim-title' }, options.title),
    el('p', { id: amountId, class: 'sim-amount' }, options.amount),
    list,
  );
  if (options.extra) dialog.append(options.extra);
  dialog.append(buttons);
  document.body.append(dialog);

  return new Promise<T>((resolve) => {
    let done = false;
    const choose = (value: T) => {
      if (done) return;
      done = true;
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    for (const choice of options.choices) {
      const button = el('button', { type: 'button', class: choice.primary ? 'primary' : false }, choice.label);
      button.addEventListener('click', () => choose(choice.value));
      buttons.append(button);
    }
    // Escape (or a back gesture) closes a modal dialog: the shopper dismissed the sheet.
    dialog.addEventListener('close', () => choose(options.dismiss));
    dialog.showModal();
    buttons.querySelector<HTMLButtonElement>('button.primary')?.focus();
  });
}

async function postJson(url: string, body: unknown): Promise<void> {
  try {
    // The sandbox endpoint may not exist yet (404): the answer is not needed, only the notice.
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    // The sheet's answer still goes back to the page, as the real app's would.
  }
}

/**
 * Makes `navigator.userAgent` read as `userAgent` for scripts in this page (not for the requests
 * the browser sends). Returns the undo.
 */
export function pretendUserAgent(userAgent: string): () => void {
  const own = Object.getOwnPropertyDescriptor(navigator, 'userAgent');
  try {
    Object.defineProperty(navigator, 'userAgent', { configurable: true, get: () => userAgent });
  } catch {
    return () => {};
  }
  return () => {
    if (own) Object.defineProperty(navigator, 'userAgent', own);
    else delete (navigator as { userAgent?: string }).userAgent;
  };
}

const WECHAT_PARAMS = ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign'] as const;

type WechatCallback = (res: Record<string, string>) => void;

interface WeixinJSBridgeSim {
  invoke(api: string, params: Record<string, unknown>, callback?: WechatCallback): void;
  on(event: string, callback: () => void): void;
  call(api: string): void;
}

/**
 * WeChat's in-app browser, as a page sees it: the `WeixinJSBridge` object appears a moment after
 * the page loads, announced by a `WeixinJSBridgeReady` event on the document (the documented way
 * to wait for it is `if (typeof WeixinJSBridge === 'undefined') document.addEventListener(
 * 'WeixinJSBridgeReady', …)`). `invoke('getBrandWCPayRequest', params, cb)` shows the payment
 * sheet and answers `{err_msg: 'get_brand_wcpay_request:ok' | ':cancel' | ':fail'}`.
 *
 * The user agent says MicroMessenger too. The widget only reads it when there is no bridge yet
 * (to know that waiting for `WeixinJSBridgeReady` is worth it), so once the bridge exists the
 * bridge alone is enough; the user agent matters for a Pay pressed before it is ready.
 */
export function installWechatBridge(context: BridgeContext, readyDelay = 300): () => void {
  const restoreUserAgent = pretendUserAgent(
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
      'Mobile/15E148 MicroMessenger/8.0.49(0x18003137) NetType/WIFI Language/zh_CN',
  );
  const win = window as unknown as { WeixinJSBridge?: WeixinJSBridgeSim };

  const payRequest = async (params: Record<string, unknown>, callback: WechatCallback) => {
    const missing = WECHAT_PARAMS.find((name) => typeof params[name] !== 'string' || params[name] === '');
    if (missing) {
      // What WeChat answers for a request it cannot sign-check: no sheet, a failure.
      callback({ err_msg: 'get_brand_wcpay_request:fail', err_desc: `missing ${missing}` });
      return;
    }
    const outcome = await openSheet<'ok' | 'cancel'>({
      className: 'sim-wechat',
      tag: 'Simulated WeChat payment sheet',
      title: 'WeChat Pay',
      amount: context.amountText(),
      details: [
        ['Merchant app', String(params.appId)],
        ['Order', String(params.package)],
      ],
      choices: [
        { label: 'Pay', value: 'ok', primary: true },
        { label: 'Cancel', value: 'cancel' },
      ],
      dismiss: 'cancel',
    });
    await postJson('/api/sandbox/wechat-confirm', { gateway: context.gateway, params, outcome });
    const answer = { err_msg: `get_brand_wcpay_request:${outcome}` };
    context.note('WeixinJSBridge', `callback ${answer.err_msg}`, answer);
    callback(answer);
  };

  const bridge: WeixinJSBridgeSim = {
    invoke(api, params, callback = () => {}) {
      context.note('WeixinJSBridge', `invoke('${api}')`, params);
      if (api === 'getBrandWCPayRequest') {
        void payRequest(params ?? {}, callback);
        return;
      }
      setTimeout(() => callback({ err_msg: 'system:function_not_exist' }), 0);
    },
    on() {},
    call() {},
  };

  let installed = false;
  const timer = window.setTimeout(() => {
    win.WeixinJSBridge = bridge;
    installed = true;
    context.note('WeixinJSBridge', 'ready');
    document.dispatchEvent(new Event('WeixinJSBridgeReady'));
  }, readyDelay);

  return () => {
    window.clearTimeout(timer);
    if (installed) delete win.WeixinJSBridge;
    restoreUserAgent();
  };
}

interface SdkTokenMessage {
  type?: unknown;
  orderId?: unknown;
  sdk?: unknown;
  token?: unknown;
}

type AppOutcome = 'success' | 'cancel' | 'fail';

/**
 * A merchant's app around the webview (react-native-webview): `window.ReactNativeWebView.postMessage`
 * takes JSON text, as README's "native bridge" describes. The "app" runs a pretend Alipay or WeChat
 * SDK sheet, tells the sandbox, and reports back the documented way: a `cashdesk-native-result`
 * event on the window.
 */
export function installAppBridge(context: BridgeContext): () => void {
  const restoreUserAgent = pretendUserAgent(
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  );
  const win = window as unknown as { ReactNativeWebView?: { postMessage(data: string): void } };

  const runSdk = async (message: SdkTokenMessage) => {
    const orderId = typeof message.orderId === 'string' ? message.orderId : context.orderId();
    const sdk = message.sdk === 'wechat' ? 'wechat' : 'alipay';
    const tokenText = typeof message.token === 'string' ? message.token : JSON.stringify(message.token, null, 2);
    const outcome = await openSheet<AppOutcome>({
      className: `sim-app sim-app-${sdk}`,
      tag: 'Simulated app: the native SDK',
      title: sdk === 'wechat' ? 'WeChat SDK' : 'Alipay SDK',
      amount: context.amountText(),
      details: [['Order', orderId]],
      extra: el(
        'details',
        { class: 'sim-token' },
        el('summary', {}, 'Token from the gateway'),
        el('pre', {}, tokenText ?? ''),
      ),
      choices: [
        { label: 'Pay', value: 'success', primary: true },
        { label: 'Cancel', value: 'cancel' },
        { label: 'Fail', value: 'fail' },
      ],
      dismiss: 'cancel',
    });
    await postJson('/api/sandbox/app-confirm', {
      gateway: context.gateway,
      orderId,
      sdk,
      token: message.token,
      outcome,
    });
    window.dispatchEvent(new CustomEvent('cashdesk-native-result', { detail: { orderId, outcome } }));
  };

  win.ReactNativeWebView = {
    postMessage(data: string) {
      let message: SdkTokenMessage;
      try {
        message = JSON.parse(data) as SdkTokenMessage;
      } catch {
        context.note('ReactNativeWebView', 'postMessage: not JSON, ignored', data);
        return;
      }
      context.note('ReactNativeWebView', 'postMessage', message);
      if (message?.type !== 'cashdesk:sdk-token') return;
      // The native side answers later, never inside postMessage: the page is listening by then.
      setTimeout(() => void runSdk(message), 0);
    },
  };

  return () => {
    delete win.ReactNativeWebView;
    restoreUserAgent();
  };
}

type MiniOutcome = 'pay' | 'cancel' | 'fail';

/** The page is covered by a mini-program page (or shown again): what the web-view's page sees. */
function setWebViewVisible(visible: boolean): void {
  const state = visible ? 'visible' : 'hidden';
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => !visible });
  document.dispatchEvent(new Event('visibilitychange'));
}

/** `page?a=1&b=2` as a mini-program's `onLoad(query)` reads it, each value decoded. */
function pageQuery(url: string): { path: string; query: Record<string, string> } {
  const [path = '', search = ''] = url.split('?', 2);
  const query: Record<string, string> = {};
  for (const pair of search.split('&')) {
    if (!pair) continue;
    const [name = '', value = ''] = pair.split('=', 2);
    query[decodeURIComponent(name)] = decodeURIComponent(value);
  }
  return { path, query };
}

/**
 * A mini-program around the web-view: `navigateTo({url})` pushes the merchant's payment page over
 * the web-view (the page becomes hidden), which pays as the README's mini-program side does
 * (`wx.requestPayment` / `my.tradePay`), tells the sandbox as the wallet would, then navigates
 * back (the page is shown again). The web-view never hears the result: the backend tells it.
 */
async function miniProgramPage(platform: 'wechat' | 'alipay', url: string, context: BridgeContext): Promise<void> {
  const { path, query } = pageQuery(url);
  setWebViewVisible(false);
  const wechat = platform === 'wechat';
  const outcome = await openSheet<MiniOutcome>({
    className: `sim-mini sim-mini-${platform}`,
    tag: `Simulated ${wechat ? 'WeChat' : 'Alipay'} mini-program page ${path}`,
    title: wechat ? 'wx.requestPayment' : 'my.tradePay',
    amount: context.amountText(),
    details: Object.entries(query),
    choices: [
      { label: 'Pay', value: 'pay', primary: true },
      { label: 'Cancel', value: 'cancel' },
      { label: 'Fail', value: 'fail' },
    ],
    dismiss: 'cancel',
  });
  if (wechat) {
    // requestPayment:ok | requestPayment:fail cancel | requestPayment:fail (detail message)
    const { orderId: _order, ...params } = query;
    const errMsg =
      outcome === 'pay'
        ? 'requestPayment:ok'
        : outcome === 'cancel'
          ? 'requestPayment:fail cancel'
          : 'requestPayment:fail';
    await postJson('/api/sandbox/wechat-confirm', {
      gateway: context.gateway,
      params,
      outcome: outcome === 'pay' ? 'ok' : outcome,
    });
    context.note('wx.requestPayment', errMsg, { errMsg });
  } else {
    // my.tradePay resultCode: 9000 paid, 6001 canceled, 4000 failed.
    const resultCode = outcome === 'pay' ? '9000' : outcome === 'cancel' ? '6001' : '4000';
    await postJson('/api/sandbox/app-confirm', {
      gateway: context.gateway,
      orderId: query.orderId,
      sdk: 'alipay',
      token: query.tradeNO,
      outcome: outcome === 'pay' ? 'success' : outcome,
    });
    context.note('my.tradePay', `resultCode ${resultCode}`, { resultCode });
  }
  context.note(wechat ? 'wx.navigateBack' : 'my.navigateBack', 'back to the web-view');
  setWebViewVisible(true);
}

/**
 * A WeChat mini-program's web-view, as the page sees it with jweixin loaded: `wx.miniProgram`
 * with `navigateTo`, `navigateBack`, `postMessage`, `getEnv(cb → {miniprogram: true})`, and
 * `window.__wxjs_environment === 'miniprogram'`; `miniProgram` in the user agent
 * (https://developers.weixin.qq.com/miniprogram/en/dev/component/web-view.html).
 * `?sdk=0` leaves the JS-SDK out, as a page that forgot the script.
 */
export function installWechatMiniProgram(context: BridgeContext, withSdk = true): () => void {
  const restoreUserAgent = pretendUserAgent(
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
      'Mobile/15E148 MicroMessenger/8.0.49(0x18003137) NetType/WIFI Language/zh_CN miniProgram/wx2421b1c4370ec43b',
  );
  const win = window as unknown as { wx?: unknown; __wxjs_environment?: string };
  win.__wxjs_environment = 'miniprogram';
  if (withSdk) {
    win.wx = {
      miniProgram: {
        navigateTo(options: { url: string; success?: () => void }) {
          context.note('wx.miniProgram', `navigateTo('${options.url}')`, options);
          setTimeout(() => {
            void miniProgramPage('wechat', options.url, context);
            options.success?.();
          }, 0);
        },
        navigateBack() {},
        postMessage(message: unknown) {
          context.note('wx.miniProgram', 'postMessage', message);
        },
        getEnv(callback: (res: { miniprogram: boolean }) => void) {
          setTimeout(() => callback({ miniprogram: true }), 0);
        },
      },
    };
  }
  return () => {
    delete win.wx;
    delete win.__wxjs_environment;
    restoreUserAgent();
  };
}

/**
 * An Alipay mini-program's web-view with `https://appx/web-view.min.js` loaded: `my` with
 * `navigateTo`, `navigateBack`, `postMessage`, `onMessage` and `getEnv(cb → {miniprogram: true})`;
 * `AlipayClient` and `MiniProgram` in the user agent (https://help.aliyun.com/document_detail/117862.html).
 */
export function installAlipayMiniProgram(context: BridgeContext, withSdk = true): () => void {
  const restoreUserAgent = pretendUserAgent(
    'Mozilla/5.0 (Linux; Android 13; SM-S9180) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/104.0 Mobile Safari/537.36 ' +
      'AlipayChannelId/5136 AlipayClient/10.5.86.8000 Language/zh-Hans MiniProgram',
  );
  const win = window as unknown as { my?: unknown };
  if (withSdk) {
    win.my = {
      navigateTo(options: { url: string; success?: () => void }) {
        context.note('my', `navigateTo('${options.url}')`, options);
        setTimeout(() => {
          void miniProgramPage('alipay', options.url, context);
          options.success?.();
        }, 0);
      },
      navigateBack() {},
      postMessage(message: unknown) {
        context.note('my', 'postMessage', message);
      },
      onMessage: undefined,
      getEnv(callback: (res: { miniprogram: boolean }) => void) {
        setTimeout(() => callback({ miniprogram: true }), 0);
      },
    };
  }
  return () => {
    delete win.my;
    restoreUserAgent();
  };
}

type AlipayCallback = (res: { resultCode: string; memo?: string; result?: string; callbackUrl?: string }) => void;

interface AlipayJSBridgeSim {
  call(api: string, params?: Record<string, unknown>, callback?: AlipayCallback): void;
}

/** The cashier's buttons and the `resultCode` each answers, with Alipay's own words as `memo`. */
const ALIPAY_ANSWERS = {
  pay: { resultCode: '9000', memo: '' },
  cancel: { resultCode: '6001', memo: '用户中途取消' },
  fail: { resultCode: '4000', memo: '订单支付失败' },
} as const;

/**
 * The Alipay app's own browser, as a page sees it: `AlipayClient` in the user agent, and the
 * `AlipayJSBridge` object appearing a moment after load, announced by `AlipayJSBridgeReady` on
 * the document (Alipay's documented wait: `if (window.AlipayJSBridge) … else
 * document.addEventListener('AlipayJSBridgeReady', …)`,
 * https://global.alipay.com/docs/ac/global/jsapitradepay). `call('tradePay', {orderStr} |
 * {tradeNO}, cb)` shows the cashier; Pay, Cancel and Fail answer `resultCode` 9000, 6001 and 4000.
 * Pay tells the sandbox over `/api/sandbox/app-confirm`, as Alipay would settle the trade, and the
 * simulator notifies the merchant; the page hears "paid" from its backend, not from the callback.
 */
export function installAlipayBridge(context: BridgeContext, readyDelay = 300): () => void {
  const restoreUserAgent = pretendUserAgent(
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ' +
      'ChannelId(1) Ariver/1.1.0 AliApp(AP/10.5.96.6000) Nebula WK RVKType(0) AlipayDefined(nt:WIFI,ws:390|844|3.0) ' +
      'AliApp(AP/10.5.96.6000) AlipayClient/10.5.96.6000 Language/zh-Hans Region/CN NebulaX/1.0.0',
  );
  const win = window as unknown as { AlipayJSBridge?: AlipayJSBridgeSim };

  const tradePay = async (params: Record<string, unknown>, callback: AlipayCallback) => {
    const orderStr = typeof params.orderStr === 'string' ? params.orderStr : '';
    const tradeNO = typeof params.tradeNO === 'string' ? params.tradeNO : '';
    if (orderStr === '' && tradeNO === '') {
      // No order to show: the cashier does not open, and the answer is a failure.
      callback({ resultCode: '4000', memo: 'orderStr or tradeNO is required' });
      return;
    }
    const choice = await openSheet<keyof typeof ALIPAY_ANSWERS>({
      className: 'sim-app sim-app-alipay',
      tag: 'Simulated Alipay app: the cashier (tradePay)',
      title: 'Alipay',
      amount: context.amountText(),
      details: [
        ['Order', context.orderId()],
        [orderStr ? 'orderStr' : 'tradeNO', orderStr ? `${orderStr.slice(0, 48)}…` : tradeNO],
      ],
      choices: [
        { label: 'Pay', value: 'pay', primary: true },
        { label: 'Cancel', value: 'cancel' },
        { label: 'Fail', value: 'fail' },
      ],
      dismiss: 'cancel',
    });
    if (choice === 'pay') {
      await postJson('/api/sandbox/app-confirm', {
        gateway: context.gateway,
        orderId: context.orderId(),
        sdk: 'alipay',
        token: orderStr || { tradeNO },
        outcome: 'success',
      });
    }
    const answer = { ...ALIPAY_ANSWERS[choice], result: '' };
    context.note('AlipayJSBridge', `callback resultCode ${answer.resultCode}`, answer);
    callback(answer);
  };

  const bridge: AlipayJSBridgeSim = {
    call(api, params = {}, callback = () => {}) {
      context.note('AlipayJSBridge', `call('${api}')`, params);
      if (api === 'tradePay') {
        void tradePay(params, callback);
        return;
      }
      setTimeout(() => callback({ resultCode: '4000', memo: `${api} is not simulated` }), 0);
    },
  };

  let installed = false;
  const timer = window.setTimeout(() => {
    win.AlipayJSBridge = bridge;
    installed = true;
    context.note('AlipayJSBridge', 'ready');
    document.dispatchEvent(new Event('AlipayJSBridgeReady'));
  }, readyDelay);

  return () => {
    window.clearTimeout(timer);
    if (installed) delete win.AlipayJSBridge;
    restoreUserAgent();
  };
}
