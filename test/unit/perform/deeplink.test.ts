import { expect } from '@open-wc/testing';
import { isCheckoutError } from '../../../src/core/errors.js';
import type { DeeplinkAction } from '../../../src/core/next-action.js';
import { openDeeplink } from '../../../src/perform/deeplink.js';
import { navigation } from '../../../src/perform/navigation.js';

const WEIXIN = 'weixin://wxpay/bizpayurl?pr=AbCdEf1';
const deeplink = (url = WEIXIN): DeeplinkAction => ({ kind: 'deeplink', url });

/** An EventTarget that counts the listeners still attached. */
class Tracked extends EventTarget {
  live = new Map<string, number>();
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean) {
    this.live.set(type, (this.live.get(type) ?? 0) + 1);
    super.addEventListener(type, listener, options);
  }
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean) {
    this.live.set(type, (this.live.get(type) ?? 0) - 1);
    super.removeEventListener(type, listener, options);
  }
  attached(): string[] {
    return [...this.live].filter(([, count]) => count > 0).map(([type]) => type);
  }
}

class FakeDocument extends Tracked {
  visibilityState: DocumentVisibilityState = 'visible';
  focused = true;
  hasFocus() {
    return this.focused;
  }
  hide() {
    this.visibilityState = 'hidden';
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

class FakeWindow extends Tracked {
  timers = new Set<number>();
  setTimeout(handler: () => void, ms: number): number {
    const id = window.setTimeout(() => {
      this.timers.delete(id);
      handler();
    }, ms);
    this.timers.add(id);
    return id;
  }
  clearTimeout(id: number) {
    this.timers.delete(id);
    window.clearTimeout(id);
  }
}

function fakePage() {
  const doc = new FakeDocument();
  const win = new FakeWindow();
  const target = { document: doc as unknown as Document, window: win as unknown as Window };
  /** Nothing left behind: no listener on either, no pending timer. */
  const leftovers = () => [...doc.attached(), ...win.attached(), ...[...win.timers].map(() => 'timer')];
  return { doc, win, target, leftovers };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (isCheckoutError(error)) return error.code;
    throw error;
  }
  return undefined;
}

const settledWithin = async <T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> =>
  Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms))]);

describe('openDeeplink', () => {
  const original = { ...navigation };
  let assigned: { url: string; target: Window }[];

  beforeEach(() => {
    assigned = [];
    navigation.assign = (url, target) => {
      assigned.push({ url, target });
    };
  });

  afterEach(() => {
    Object.assign(navigation, original);
    delete (document as { visibilityState?: unknown }).visibilityState;
    delete (document as { hidden?: unknown }).hidden;
  });

  it('follows the link and says "stayed" when the page is still visible and focused', async () => {
    const page = fakePage();
    const outcome = await openDeeplink(deeplink(), { timeout: 40, target: page.target });
    expect(outcome).to.equal('stayed');
    expect(assigned).to.deep.equal([{ url: WEIXIN, target: page.target.window }]);
    expect(page.leftovers()).to.deep.equal([]);
  });

  it('follows an Alipay link (alipays:, from an epay urlscheme) the same way', async () => {
    const page = fakePage();
    const alipay = 'alipays://platformapi/startapp?saId=10000007&qrcode=https%3A%2F%2Fqr.alipay.com%2Fbax01234';
    const outcome = await openDeeplink(deeplink(alipay), { timeout: 40, target: page.target });
    expect(outcome).to.equal('stayed');
    expect(assigned).to.deep.equal([{ url: alipay, target: page.target.window }]);
  });

  it('says "left" as soon as the real page becomes hidden', async () => {
    const started = performance.now();
    const opening = openDeeplink(deeplink(), { timeout: 3000 });
    expect(assigned).to.deep.equal([{ url: WEIXIN, target: window }]);
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
    expect(await opening).to.equal('left');
    expect(performance.now() - started).to.be.below(1000);
  });

  it('ignores a visibilitychange that leaves the page visible', async () => {
    const page = fakePage();
    const opening = openDeeplink(deeplink(), { timeout: 60, target: page.target });
    page.doc.dispatchEvent(new Event('visibilitychange'));
    expect(await opening).to.equal('stayed');
  });

  it('a page unloaded for an error page is not an app: back from it (pageshow) is "stayed"', async () => {
    // WebKitGTK, and an Android WebView without a handler (ERR_UNKNOWN_URL_SCHEME), replace the page
    // with an error page: the page is unloaded (pagehide, then hidden) where an app would only hide it.
    const page = fakePage();
    const opening = openDeeplink(deeplink(), { timeout: 3000, target: page.target });
    page.win.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    page.doc.hide();
    expect(await settledWithin(opening, 100)).to.equal('pending');
    page.doc.visibilityState = 'visible';
    page.win.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    expect(await settledWithin(opening, 100)).to.equal('stayed');
    expect(page.leftovers()).to.deep.equal([]);
  });

  it('says "left" when the page is hidden by the time the wait ends', async () => {
    const page = fakePage();
    const opening = openDeeplink(deeplink(), { timeout: 30, target: page.target });
    page.doc.visibilityState = 'hidden';
    expect(await opening).to.equal('left');
  });

  it('a blur is not an app: iOS asking "Open in WeChat?", closed before the wait ends, leaves "stayed"', async () => {
    const page = fakePage();
    const opening = openDeeplink(deeplink(), { timeout: 60, target: page.target });
    page.doc.focused = false;
    page.win.dispatchEvent(new Event('blur'));
    expect(await settledWithin(opening, 20)).to.equal('pending');
    page.doc.focused = true;
    page.win.dispatchEvent(new Event('focus'));
    expect(await opening).to.equal('stayed');
    expect(page.leftovers()).to.deep.equal([]);
  });

  it('a dialog still up when the wait ends: hidden next is "left", the focus back is "stayed"', async () => {
    // The shopper answers iOS's dialog after the wait: "Open" hides the page for WeChat.
    const opened = fakePage();
    const first = openDeeplink(deeplink(), { timeout: 20, target: opened.target });
    opened.doc.focused = false;
    expect(await settledWithin(first, 80)).to.equal('pending');
    opened.doc.hide();
    expect(await first).to.equal('left');
    expect(opened.leftovers()).to.deep.equal([]);
    // "Cancel", or the "address is invalid" alert without the app: the focus comes back.
    const cancelled = fakePage();
    const second = openDeeplink(deeplink(), { timeout: 20, target: cancelled.target });
    cancelled.doc.focused = false;
    expect(await settledWithin(second, 80)).to.equal('pending');
    cancelled.doc.focused = true;
    cancelled.win.dispatchEvent(new Event('focus'));
    expect(await second).to.equal('stayed');
    expect(cancelled.leftovers()).to.deep.equal([]);
  });

  it('a focus that never comes back (a parent frame took it): "stayed" once the dialog wait is over', async () => {
    const page = fakePage();
    const opening = openDeeplink(deeplink(), { timeout: 20, dialogWait: 60, target: page.target });
    page.doc.focused = false;
    expect(await settledWithin(opening, 50)).to.equal('pending');
    expect(await settledWithin(opening, 300)).to.equal('stayed');
    expect(page.leftovers()).to.deep.equal([]);
  });

  it('removes its listeners and timer when it settles: later events change nothing', async () => {
    const page = fakePage();
    const opening = openDeeplink(deeplink(), { timeout: 3000, target: page.target });
    expect(page.doc.attached()).to.deep.equal(['visibilitychange']);
    expect(page.win.attached().sort()).to.deep.equal(['focus', 'pagehide', 'pageshow']);
    expect(page.win.timers.size).to.equal(1);
    page.doc.hide();
    expect(await opening).to.equal('left');
    expect(page.leftovers()).to.deep.equal([]);
    page.win.dispatchEvent(new Event('focus'));
    expect(assigned).to.have.length(1);
  });

  it('rejects with "aborted" when aborted, and cleans up', async () => {
    const page = fakePage();
    const controller = new AbortController();
    const opening = openDeeplink(deeplink(), { timeout: 3000, target: page.target, signal: controller.signal });
    controller.abort();
    expect(await codeOf(opening)).to.equal('aborted');
    expect(page.leftovers()).to.deep.equal([]);
  });

  it('does not follow the link when the signal is already aborted', async () => {
    const page = fakePage();
    const controller = new AbortController();
    controller.abort();
    const opening = openDeeplink(deeplink(), { target: page.target, signal: controller.signal });
    expect(await codeOf(opening)).to.equal('aborted');
    expect(assigned).to.deep.equal([]);
    expect(page.leftovers()).to.deep.equal([]);
  });

  it("refuses anything but a wallet app's link, without navigating", async () => {
    const page = fakePage();
    for (const url of [
      'javascript:alert(1)',
      'https://evil.example/',
      'data:text/html,x',
      'intent://x#Intent;end',
      'tel:1',
    ]) {
      expect(await codeOf(openDeeplink(deeplink(url), { target: page.target })), url).to.equal('unsafe_url_scheme');
    }
    expect(await codeOf(openDeeplink(deeplink('wxpay/bizpayurl'), { target: page.target }))).to.equal('relative_url');
    expect(assigned).to.deep.equal([]);
    expect(page.leftovers()).to.deep.equal([]);
  });

  it('rejects and cleans up when the navigation itself throws', async () => {
    const page = fakePage();
    navigation.assign = () => {
      throw new TypeError('blocked by the webview');
    };
    let caught: unknown;
    try {
      await openDeeplink(deeplink(), { timeout: 3000, target: page.target });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(TypeError);
    expect(page.leftovers()).to.deep.equal([]);
  });
});
