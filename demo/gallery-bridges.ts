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
