import { expect, fixture, html } from '@open-wc/testing';
import type { Environment } from '../../../src/core/environment.js';
import type { PollSchedule } from '../../../src/core/poller.js';
import { preloadQrEncoder } from '../../../src/core/qr.js';
import type { CashdeskCheckout } from '../../../src/elements/cashdesk-checkout/cashdesk-checkout.js';
import '../../../src/elements/cashdesk-checkout/cashdesk-checkout.js';
import { registerBuiltinGateways } from '../../../src/gateways/builtin.js';
import { LOCALES } from '../../../src/i18n/messages.js';
import { navigation } from '../../../src/perform/navigation.js';
import { ALIPAY_PAGE_PAY_FORM, ORDER_APP_ALIPAY_TOKEN } from '../gateways/fixtures/careyshop.js';
import {
  type FakeBackend,
  fadesSettled,
  fakeBackend,
  htmlBody,
  json,
  restoreVisibility,
  setVisibility,
  until,
} from '../helpers/fake-backend.js';

registerBuiltinGateways();

const fast: Partial<PollSchedule> = { first: 10, interval: 20, factor: 1, cap: 20, errorCap: 40, jitter: 0 };
const desktop: Environment = { mobile: false, os: 'other' };
const android: Environment = { mobile: true, os: 'android' };
const wechat: Environment = { mobile: true, os: 'ios', inApp: 'wechat' };
const jsapiParams = {
  appId: 'wx2421b1c4370ec43b',
  timeStamp: '1395712654',
  nonceStr: 'e61463f8efa94090b1f366cccfbbb444',
  package: 'prepay_id=u802345jgfjsdfgsdg888',
  signType: 'MD5',
  paySign: '70EA570631E4BB79628FBCA90534C63FF7FADD89',
};

interface Left {
  assigned: string[];
  forms: { method: string; action: string; fields: [string, string][] }[];
}

let backend: FakeBackend | undefined;
let restoreNavigation: (() => void) | undefined;
afterEach(() => {
  backend?.restore();
  backend = undefined;
  // Attempt keys are kept per tab for reloads; each test starts a fresh tab's worth.
  sessionStorage.clear();
  restoreNavigation?.();
  restoreNavigation = undefined;
  restoreVisibility();
  delete (window as { WeixinJSBridge?: unknown }).WeixinJSBridge;
  delete (window as { ReactNativeWebView?: unknown }).ReactNativeWebView;
});

/** Intercepts leaving the page: records what would have left, navigates nowhere. */
function interceptNavigation(): Left {
  const left: Left = { assigned: [], forms: [] };
  const { assign, submit } = navigation;
  navigation.assign = (url) => {
    left.assigned.push(url);
  };
  navigation.submit = (form) => {
    const fields = [...form.querySelectorAll('input')].map((input) => [input.name, input.value] as [string, string]);
    // Attributes, not properties: the Alipay form has fields named "method" and "action",
    // which shadow the form's own properties of those names.
    left.forms.push({
      method: (form.getAttribute('method') ?? '').toUpperCase(),
      action: form.getAttribute('action') ?? '',
      fields,
    });
  };
  restoreNavigation = () => {
    navigation.assign = assign;
    navigation.submit = submit;
  };
  return left;
}

async function mount(environment: Environment, gateway = '', lang = 'en'): Promise<CashdeskCheckout> {
  return fixture<CashdeskCheckout>(html`<cashdesk-checkout
    endpoint="/api/pay"
    status-endpoint="/api/status"
    order-id="B-2002"
    amount="5000"
    currency="CNY"
    methods="alipay wxpay"
    gateway=${gateway}
    lang=${lang}
    .environment=${environment}
    .pollSchedule=${fast}
  ></cashdesk-checkout>`);
}

/** The shop's return page, as the README writes it: order id, status endpoint and `resume`, no endpoint. */
function mountReturnPage(): Promise<CashdeskCheckout> {
  return fixture<CashdeskCheckout>(html`<cashdesk-checkout
    status-endpoint="/api/status"
    order-id="B-2002"
    resume
    .pollSchedule=${fast}
  ></cashdesk-checkout>`);
}

const part = (el: CashdeskCheckout, name: string) => el.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`);
const stateOf = (el: CashdeskCheckout) => el.shadowRoot?.querySelector('[part="base"]')?.getAttribute('data-state');
const liveText = (el: CashdeskCheckout) => el.shadowRoot?.querySelector('[role="status"]')?.textContent?.trim() ?? '';

function record(el: CashdeskCheckout, types: string[]) {
  const events: { type: string; detail: unknown }[] = [];
  for (const type of types) {
    el.addEventListener(type, (event) => events.push({ type, detail: (event as Event & { detail: unknown }).detail }));
  }
  return events;
}

/** Pays as the shopper does, and waits for the create's answer to be shown (pay() joins the click's create). */
async function pay(el: CashdeskCheckout): Promise<void> {
  await el.updateComplete;
  part(el, 'button')?.click();
  await el.pay();
  await el.updateComplete;
}

describe('<cashdesk-checkout> leaving the page', () => {
  before(async function () {
    // The encoder is a lazy chunk (the checkout fetches it as a payment starts); served to the test
    // page it is bundled on first request, which can take seconds on a busy machine.
    this.timeout(30_000);
    await preloadQrEncoder();
  });

  it('redirect: fires cashdesk-redirect, then leaves for exactly the gateway URL, once', async () => {
    const url = 'https://pay.example/pay/submit/2024052013141512345/?sign=a%2Bb';
    backend = fakeBackend({
      create: () => json({ gateway: 'epay', response: { code: 1, trade_no: '1', payurl: url } }),
      status: () => json({ status: 'pending' }),
    });
    const left = interceptNavigation();
    const el = await mount(desktop);
    const events = record(el, ['cashdesk-action', 'cashdesk-redirect']);
    await pay(el);
    expect(left.assigned).to.deep.equal([url]);
    expect(events.map((e) => e.type)).to.deep.equal(['cashdesk-action', 'cashdesk-redirect']);
    expect((events[1]?.detail as { url: string } | undefined)?.url).to.equal(url);
    expect(stateOf(el)).to.equal('redirecting');
    await el.updateComplete;
    expect(liveText(el)).to.equal('Taking you to the payment page…');
  });

  it('a cancelled cashdesk-redirect never navigates, and the payment is still followed', async () => {
    backend = fakeBackend({
      create: () => json({ gateway: 'epay', response: { code: 1, payurl: 'https://pay.example/x' } }),
      status: (_c, n) => json({ status: n < 2 ? 'pending' : 'paid' }),
    });
    const left = interceptNavigation();
    const el = await mount(desktop);
    el.addEventListener('cashdesk-redirect', (event) => event.preventDefault());
    await pay(el);
    await until(() => stateOf(el) === 'paid');
    expect(left.assigned).to.deep.equal([]);
    expect(left.forms).to.deep.equal([]);
  });

  it('form: CareyShop Alipay HTML becomes a fresh POST form with every field, byte for byte', async () => {
    backend = fakeBackend({ create: () => htmlBody(ALIPAY_PAGE_PAY_FORM), status: () => json({ status: 'pending' }) });
    const left = interceptNavigation();
    const el = await mount(desktop, 'careyshop');
    const errors = record(el, ['cashdesk-error']);
    await pay(el);
    expect(errors).to.deep.equal([]);
    const form = left.forms[0];
    expect(form?.method).to.equal('POST');
    expect(form?.action).to.equal('https://openapi.alipay.com/gateway.do?charset=UTF-8');
    const fields = Object.fromEntries(form?.fields ?? []);
    expect(form?.fields.map(([name]) => name)).to.deep.equal([
      'biz_content',
      'app_id',
      'version',
      'format',
      'sign_type',
      'method',
      'timestamp',
      'alipay_sdk',
      'notify_url',
      'return_url',
      'charset',
      'sign',
    ]);
    expect(fields.method).to.equal('alipay.trade.page.pay');
    expect(JSON.parse(fields.biz_content ?? '{}')).to.include({ product_code: 'FAST_INSTANT_TRADE_PAY' });
    // The form is not left behind in the element once submitted.
    expect(el.shadowRoot?.querySelector('form')).to.equal(null);
  });

  it("a page script that edits the action in cashdesk-action or cashdesk-redirect cannot send Alipay's signed fields elsewhere", async () => {
    const evil = 'https://evil.example/collect';
    for (const type of ['cashdesk-action', 'cashdesk-redirect'] as const) {
      backend?.restore();
      backend = fakeBackend({
        create: () => htmlBody(ALIPAY_PAGE_PAY_FORM),
        status: () => json({ status: 'pending' }),
      });
      restoreNavigation?.();
      const left = interceptNavigation();
      const el = await mount(desktop, 'careyshop');
      el.addEventListener(type, (event) => {
        // What a compromised or careless script on the merchant's page could try, each in its own way.
        const detail = (event as Event & { detail: { action: { action: string; fields: Record<string, string> } } })
          .detail;
        for (const change of [
          () => {
            detail.action.action = evil;
          },
          () => {
            detail.action.fields.return_url = evil;
          },
          () => {
            detail.action = { ...detail.action, action: evil };
          },
        ]) {
          try {
            change();
          } catch {
            // A frozen action refuses the change (TypeError in strict code): that is the point.
          }
        }
      });
      await pay(el);
      for (const form of left.forms) {
        expect(new URL(form.action).hostname, type).to.equal('openapi.alipay.com');
        expect(Object.fromEntries(form.fields).return_url, type).not.to.equal(evil);
      }
    }
  });

  it('a form action edited by hand is held to the allow-list its gateway was checked against, right before it is posted', async () => {
    const { performFormPost } = await import('../../../src/perform/form-post.js');
    const { toAction } = await import('../../../src/gateways/registry.js');
    const left = interceptNavigation();
    const action = toAction('careyshop', ALIPAY_PAGE_PAY_FORM, { allowInsecure: false });
    expect(action.kind).to.equal('form');
    // A headless integrator's code that rebuilds the action (a spread copy is not frozen).
    const edited = { ...(action as Extract<typeof action, { kind: 'form' }>), action: 'https://evil.example/collect' };
    let code: string | undefined;
    try {
      performFormPost(edited, { allowInsecure: false });
    } catch (error) {
      code = (error as { code?: string }).code;
    }
    expect(code).to.equal('host_not_allowed');
    expect(left.forms).to.deep.equal([]);
  });

  it('deep link on a phone: opens the app; if the page stays in front, shows the fallback QR and says so once', async function () {
    this.timeout(8000);
    const link = 'weixin://dl/business/?t=Kx8TZs1rQ9a';
    backend = fakeBackend({
      create: () => json({ gateway: 'epay', response: { code: 1, urlscheme: link } }),
      status: () => json({ status: 'pending' }),
    });
    const left = interceptNavigation();
    const el = await mount(android);
    const events = record(el, ['cashdesk-app-launch-failed']);
    await pay(el);
    expect(left.assigned).to.deep.equal([link]);
    expect(stateOf(el)).to.equal('app');
    await until(() => stateOf(el) === 'app-fallback', 6000, 'the fallback');
    await el.updateComplete;
    const qr = part(el, 'qr') as HTMLElement & { content: string };
    expect(qr.content).to.equal(link);
    expect(events).to.deep.equal([{ type: 'cashdesk-app-launch-failed', detail: { orderId: 'B-2002', url: link } }]);
  });

  it('deep link on a phone: no fallback when the app opened (the page went to the background)', async function () {
    this.timeout(8000);
    backend = fakeBackend({
      create: () => json({ gateway: 'epay', response: { code: 1, urlscheme: 'weixin://dl/business/?t=abc' } }),
      status: () => json({ status: 'pending' }),
    });
    const left = interceptNavigation();
    const el = await mount(android);
    const events = record(el, ['cashdesk-app-launch-failed']);
    await pay(el);
    expect(left.assigned).to.deep.equal(['weixin://dl/business/?t=abc']);
    setVisibility('hidden');
    // The app took the link: the link's watch answers "left" at once, and a watch answers once, so
    // its 2.5 s timer can never show the fallback (openDeeplink's own tests: its timer goes when it
    // settles). Only after that answer is the page's return the return from the app: it is told
    // again until it is heard.
    expect(stateOf(el)).to.equal('app');
    // Back from the app: the payment is being followed, no "Opening the app…" left on screen.
    await until(
      () => {
        setVisibility('visible');
        return stateOf(el) === 'waiting';
      },
      1000,
      'waiting once back',
    );
    await el.updateComplete;
    expect(events).to.deep.equal([]);
    expect(part(el, 'check')).to.exist;
  });

  it('deep link on a desktop: the QR straight away, no app launch attempted', async () => {
    backend = fakeBackend({
      create: () => json({ gateway: 'epay', response: { code: 1, urlscheme: 'weixin://dl/business/?t=abc' } }),
      status: () => json({ status: 'pending' }),
    });
    const left = interceptNavigation();
    const el = await mount(desktop);
    await pay(el);
    await until(() => stateOf(el) === 'app-fallback');
    expect(left.assigned).to.deep.equal([]);
  });

  it('Alipay inside WeChat: the open-in-browser guide instead of a dead end, and no navigation', async () => {
    backend = fakeBackend({
      create: () =>
        json({
          gateway: 'epay',
          response: { code: 1, payurl: 'https://openapi.alipay.com/gateway.do?method=alipay.trade.wap.pay&sign=x' },
        }),
      status: () => json({ status: 'pending' }),
    });
    const left = interceptNavigation();
    const el = await mount(wechat);
    const events = record(el, ['cashdesk-open-in-browser', 'cashdesk-redirect']);
    await pay(el);
    expect(stateOf(el)).to.equal('open-in-browser');
    await el.updateComplete;
    const overlay = el.shadowRoot?.querySelector('cashdesk-open-in-browser') as HTMLElement & { open: boolean };
    expect(overlay.open).to.equal(true);
    expect(events.map((e) => e.type)).to.deep.equal(['cashdesk-open-in-browser']);
    expect(left.assigned).to.deep.equal([]);
  });

  it('a merchant can replace the open-in-browser guide by cancelling its event', async () => {
    backend = fakeBackend({
      create: () => json({ gateway: 'epay', response: { code: 1, payurl: 'https://mapi.alipay.com/gateway.do?x=1' } }),
      status: () => json({ status: 'pending' }),
    });
    interceptNavigation();
    const el = await mount(wechat);
    el.addEventListener('cashdesk-open-in-browser', (event) => event.preventDefault());
    await pay(el);
    await until(() => stateOf(el) === 'waiting');
    expect(el.shadowRoot?.querySelector('cashdesk-open-in-browser')).to.equal(null);
  });

  describe('WeChat JSAPI', () => {
    const realUserAgent = Object.getOwnPropertyDescriptor(Navigator.prototype, 'userAgent');
    beforeEach(() => {
      // Inside WeChat the user agent says so; the bridge checks it before waiting for readiness.
      Object.defineProperty(navigator, 'userAgent', {
        configurable: true,
        get: () =>
          `${realUserAgent?.get?.call(navigator)} MicroMessenger/8.0.49(0x18003133) NetType/WIFI Language/zh_CN`,
      });
    });
    afterEach(() => {
      delete (navigator as { userAgent?: string }).userAgent;
    });

    /** A bridge that behaves as WeChat documents it: ready after a moment, then one callback. */
    function installBridge(errMsg: string, readyAfter = 30) {
      const calls: { method: string; params: unknown }[] = [];
      setTimeout(() => {
        (window as { WeixinJSBridge?: unknown }).WeixinJSBridge = {
          invoke(method: string, params: unknown, callback: (res: { err_msg: string }) => void) {
            calls.push({ method, params });
            setTimeout(() => callback({ err_msg: errMsg }), 20);
          },
        };
        document.dispatchEvent(new Event('WeixinJSBridgeReady'));
      }, readyAfter);
      return calls;
    }

    const jsapiAnswer = () =>
      json({
        gateway: 'pingpp',
        response: {
          code: 200,
          data: {
            payContent: JSON.stringify({
              object: 'charge',
              channel: 'wx_pub',
              order_no: 'B-2002',
              amount: 5000,
              livemode: true,
              paid: false,
              credential: { object: 'credential', wx_pub: jsapiParams },
            }),
          },
        },
      });

    it('ok: the backend is asked, and only its "paid" is a success', async () => {
      const calls = installBridge('get_brand_wcpay_request:ok');
      backend = fakeBackend({ create: jsapiAnswer, status: (_c, n) => json({ status: n < 2 ? 'pending' : 'paid' }) });
      const el = await mount(wechat);
      const events = record(el, ['cashdesk-success', 'cashdesk-failure']);
      await pay(el);
      await until(() => stateOf(el) === 'paid', 3000, 'paid');
      expect(calls).to.deep.equal([{ method: 'getBrandWCPayRequest', params: jsapiParams }]);
      expect(events.map((e) => e.type)).to.deep.equal(['cashdesk-success']);
      expect(backend.statuses.length).to.be.greaterThan(0);
    });

    it('cancel: back to the method picker with the same order, and no terminal event', async () => {
      installBridge('get_brand_wcpay_request:cancel');
      backend = fakeBackend({ create: jsapiAnswer, status: () => json({ status: 'pending' }) });
      const el = await mount(wechat);
      const events = record(el, ['cashdesk-success', 'cashdesk-failure', 'cashdesk-error', 'cashdesk-expired']);
      await pay(el);
      await until(() => stateOf(el) === 'idle', 3000, 'the picker');
      await el.updateComplete;
      expect(el.orderId).to.equal('B-2002');
      expect(part(el, 'button')).to.exist;
      expect(liveText(el)).to.contain('canceled');
      expect(events).to.deep.equal([]);
      // The sheet's "back" button had the focus and went with it: focus is on Pay, not the page.
      expect(el.shadowRoot?.activeElement?.getAttribute('part') ?? String(document.activeElement?.tagName)).to.equal(
        'button',
      );
    });

    it('a bridge that never becomes ready ends in a clear error, not a spinner forever', async function () {
      this.timeout(10_000);
      backend = fakeBackend({ create: jsapiAnswer, status: () => json({ status: 'pending' }) });
      const el = await mount(wechat);
      const events = record(el, ['cashdesk-error']);
      await pay(el);
      await until(() => stateOf(el) === 'error', 8000, 'the error');
      expect((events[0]?.detail as { code: string } | undefined)?.code).to.equal('bridge_timeout');
    });

    it('a sheet that never calls back: the payment made meanwhile is still found', async () => {
      (window as { WeixinJSBridge?: unknown }).WeixinJSBridge = { invoke() {} };
      let paidMeanwhile = false;
      backend = fakeBackend({
        create: jsapiAnswer,
        status: () => json({ status: paidMeanwhile ? 'paid' : 'pending' }),
      });
      const el = await mount(wechat);
      await pay(el);
      await until(() => stateOf(el) === 'wechat');
      await el.updateComplete;
      // While the sheet is up the shopper can still leave it for the methods.
      expect(part(el, 'back')).to.exist;
      paidMeanwhile = true;
      await until(() => stateOf(el) === 'paid', 3000, 'paid while the sheet was up');
    });

    it('a server-rendered payment (no endpoint): a failed sheet retries it, a cancelled one is paid again with it', async () => {
      const payload = { gateway: 'pingpp', response: (await jsapiAnswer().json()).response };
      let outcome = 'get_brand_wcpay_request:fail';
      const calls: unknown[] = [];
      (window as { WeixinJSBridge?: unknown }).WeixinJSBridge = {
        invoke(_method: string, params: unknown, callback: (res: { err_msg: string }) => void) {
          calls.push(params);
          setTimeout(() => callback({ err_msg: outcome }), 10);
        },
      };
      backend = fakeBackend({ status: () => json({ status: 'pending' }) });
      const el = await fixture<CashdeskCheckout>(html`<cashdesk-checkout
        status-endpoint="/api/status"
        order-id="B-2002"
        amount="5000"
        currency="CNY"
        .environment=${wechat}
        .pollSchedule=${fast}
        .payload=${payload}
      ></cashdesk-checkout>`);
      await until(() => stateOf(el) === 'error');
      await el.updateComplete;
      // The sheet failed: Retry opens it again with the same parameters.
      outcome = 'get_brand_wcpay_request:cancel';
      part(el, 'retry')?.click();
      await until(() => stateOf(el) === 'idle', 3000, 'cancelled: the picker');
      await el.updateComplete;
      // Cancelled: Pay is the same server-rendered payment again, not a create.
      outcome = 'get_brand_wcpay_request:ok';
      part(el, 'button')?.click();
      await until(() => calls.length === 3, 3000, 'the sheet a third time');
      expect(calls).to.deep.equal([jsapiParams, jsapiParams, jsapiParams]);
      expect(backend.creates.length).to.equal(0);
    });

    it('a failed sheet is retried with the same payment, never a second one', async () => {
      const calls: unknown[] = [];
      let outcome = 'get_brand_wcpay_request:fail';
      (window as { WeixinJSBridge?: unknown }).WeixinJSBridge = {
        invoke(_method: string, params: unknown, callback: (res: { err_msg: string }) => void) {
          calls.push(params);
          setTimeout(() => callback({ err_msg: outcome }), 10);
        },
      };
      backend = fakeBackend({
        create: jsapiAnswer,
        status: () => json({ status: outcome.endsWith(':ok') ? 'paid' : 'pending' }),
      });
      const el = await mount(wechat);
      await pay(el);
      await until(() => stateOf(el) === 'error');
      await el.updateComplete;
      outcome = 'get_brand_wcpay_request:ok';
      part(el, 'retry')?.click();
      await until(() => stateOf(el) === 'paid', 3000, 'paid on the second try');
      expect(backend.creates.length).to.equal(1);
      expect(calls).to.deep.equal([jsapiParams, jsapiParams]);
    });

    it('outside WeChat: a QR of this page to open it in WeChat', async () => {
      delete (navigator as { userAgent?: string }).userAgent;
      backend = fakeBackend({ create: jsapiAnswer, status: () => json({ status: 'pending' }) });
      const el = await mount(desktop);
      await pay(el);
      expect(stateOf(el)).to.equal('open-in-wechat');
      await el.updateComplete;
      expect((part(el, 'qr') as HTMLElement & { content: string }).content).to.equal(location.href);
    });
  });

  it('SDK token: posted to the native bridge unchanged; the app reports back and the backend decides', async () => {
    const posted: string[] = [];
    (window as { ReactNativeWebView?: unknown }).ReactNativeWebView = { postMessage: (m: string) => posted.push(m) };
    const token = ORDER_APP_ALIPAY_TOKEN;
    // The backend learns of the payment when the app's SDK has paid, as the gateway notifies it.
    let appReported = false;
    backend = fakeBackend({
      create: () => json({ gateway: 'careyshop', response: { status: 200, message: 'success', data: token } }),
      status: () => json({ status: appReported ? 'paid' : 'pending' }),
    });
    const el = await mount({ mobile: true, os: 'android', inApp: 'webview', nativeBridge: 'react-native' });
    const events = record(el, ['cashdesk-sdk-token', 'cashdesk-success', 'cashdesk-error']);
    el.pollSchedule = { ...fast, first: 60_000, interval: 60_000, cap: 60_000 };
    await pay(el);
    expect(events.filter((e) => e.type === 'cashdesk-error')).to.deep.equal([]);
    expect(JSON.parse(posted[0] ?? '{}')).to.deep.equal({
      type: 'cashdesk:sdk-token',
      version: 1,
      orderId: 'B-2002',
      sdk: 'alipay',
      token,
    });
    expect(stateOf(el)).to.equal('native');
    appReported = true;
    window.dispatchEvent(
      new CustomEvent('cashdesk-native-result', { detail: { orderId: 'B-2002', outcome: 'success' } }),
    );
    await until(() => stateOf(el) === 'paid', 3000, 'paid after the app reported');
    expect(events.map((e) => e.type)).to.deep.equal(['cashdesk-sdk-token', 'cashdesk-success']);
  });

  it("a QR on a phone (the page's environment override) offers to open the wallet app, on a desktop it does not", async () => {
    backend = fakeBackend({
      create: () => json({ gateway: 'epay', response: { code: 1, qrcode: 'weixin://wxpay/bizpayurl?pr=04IPMKM' } }),
      status: () => json({ status: 'pending' }),
    });
    const openLink = async (environment: Environment) => {
      const el = await mount(environment);
      el.pollSchedule = { ...fast, first: 60_000, interval: 60_000, cap: 60_000 };
      await pay(el);
      expect(stateOf(el)).to.equal('qr');
      const qr = part(el, 'qr') as HTMLElement & { updateComplete: Promise<unknown> };
      await qr.updateComplete;
      const href = qr.shadowRoot?.querySelector('[part="open"]')?.getAttribute('href') ?? null;
      el.remove();
      return href;
    };
    expect(await openLink(android)).to.equal('weixin://wxpay/bizpayurl?pr=04IPMKM');
    expect(await openLink(desktop)).to.equal(null);
  });

  it('SDK token: moved while the app has the token (a framework re-parenting it), the answer still arrives', async () => {
    (window as { ReactNativeWebView?: unknown }).ReactNativeWebView = { postMessage: () => {} };
    backend = fakeBackend({
      create: () =>
        json({ gateway: 'careyshop', response: { status: 200, message: 'success', data: ORDER_APP_ALIPAY_TOKEN } }),
      status: () => json({ status: 'pending' }),
    });
    const el = await mount({ mobile: true, os: 'android', inApp: 'webview', nativeBridge: 'react-native' });
    el.pollSchedule = { ...fast, first: 60_000, interval: 60_000, cap: 60_000 };
    await pay(el);
    expect(stateOf(el)).to.equal('native');
    const parent = el.parentElement as HTMLElement;
    el.remove();
    parent.append(el);
    window.dispatchEvent(
      new CustomEvent('cashdesk-native-result', { detail: { orderId: 'B-2002', outcome: 'cancel' } }),
    );
    await until(() => stateOf(el) === 'idle', 1000, 'back to the methods');
    expect(liveText(el)).to.contain('canceled');
  });

  it('SDK token: the app reports a failure → the error with a retry, the same payment posted again', async () => {
    const posted: string[] = [];
    (window as { ReactNativeWebView?: unknown }).ReactNativeWebView = { postMessage: (m: string) => posted.push(m) };
    let appPaid = false;
    backend = fakeBackend({
      create: () =>
        json({ gateway: 'careyshop', response: { status: 200, message: 'success', data: ORDER_APP_ALIPAY_TOKEN } }),
      status: () => json({ status: appPaid ? 'paid' : 'pending' }),
    });
    const el = await mount({ mobile: true, os: 'android', inApp: 'webview', nativeBridge: 'react-native' });
    const events = record(el, ['cashdesk-error', 'cashdesk-success']);
    el.pollSchedule = { ...fast, first: 60_000, interval: 60_000, cap: 60_000 };
    await pay(el);
    expect(stateOf(el)).to.equal('native');
    const asked = backend.statuses.length;
    window.dispatchEvent(
      new CustomEvent('cashdesk-native-result', {
        detail: { orderId: 'B-2002', outcome: 'fail', message: 'Insufficient balance' },
      }),
    );
    await until(() => stateOf(el) === 'error');
    // The app's word is not the backend's: it is asked at once.
    await until(() => backend!.statuses.length > asked, 1000, 'a status check');
    expect(events.map((e) => e.type)).to.deep.equal(['cashdesk-error']);
    await el.updateComplete;
    part(el, 'retry')?.click();
    await until(() => posted.length === 2, 2000, 'the token posted again');
    expect(posted[1]).to.equal(posted[0]);
    expect(backend.creates.length).to.equal(1);
    appPaid = true;
    window.dispatchEvent(
      new CustomEvent('cashdesk-native-result', { detail: { orderId: 'B-2002', outcome: 'success' } }),
    );
    await until(() => stateOf(el) === 'paid', 3000, 'paid after the retry');
  });

  it('back from the gateway (pageshow): no stuck spinner, the methods are offered and the backend is asked', async () => {
    backend = fakeBackend({
      create: () => json({ gateway: 'epay', response: { code: 1, payurl: 'https://pay.example/x' } }),
      status: () => json({ status: 'pending' }),
    });
    interceptNavigation();
    const el = await mount(desktop);
    el.pollSchedule = { ...fast, first: 60_000, interval: 60_000, cap: 60_000 };
    await pay(el);
    expect(stateOf(el)).to.equal('redirecting');
    const before = backend.statuses.length;
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await until(() => stateOf(el) === 'waiting');
    await until(() => backend!.statuses.length > before, 1000, 'a status check');
    await el.updateComplete;
    const back = part(el, 'back') as HTMLButtonElement;
    expect(back.disabled).to.equal(false);
    back.click();
    await el.updateComplete;
    expect(stateOf(el)).to.equal('idle');
    expect((part(el, 'button') as HTMLButtonElement).disabled).to.equal(false);
  });

  it('resume: a failed payment on the return page lets the next Pay be a new payment', async () => {
    const kept = `cashdesk:attempt:${JSON.stringify(['B-2002', 'alipay'])}`;
    sessionStorage.setItem(kept, 'old-key');
    backend = fakeBackend({ status: () => json({ status: 'failed', code: 'USER_BALANCE_NOT_ENOUGH' }) });
    const el = await mountReturnPage();
    await until(() => stateOf(el) === 'failed');
    expect(sessionStorage.getItem(kept)).to.equal(null);
  });

  it('resume: a return page with only order-id shows the final result', async () => {
    backend = fakeBackend({ status: () => json({ status: 'paid' }) });
    // Listening before the element exists, as a page does: with `resume` the answer may come at once.
    let successes = 0;
    const count = () => {
      successes += 1;
    };
    document.addEventListener('cashdesk-success', count);
    try {
      const el = await mountReturnPage();
      await until(() => stateOf(el) === 'paid');
      expect(backend.creates.length).to.equal(0);
      await el.updateComplete;
      expect(successes).to.equal(1);
    } finally {
      document.removeEventListener('cashdesk-success', count);
    }
  });

  it('resume without an endpoint: no "Choose another method" or "Try again" that could not work', async () => {
    let status = 'pending';
    backend = fakeBackend({ status: () => json({ status }) });
    const el = await mountReturnPage();
    await until(() => stateOf(el) === 'waiting');
    await el.updateComplete;
    // Still pending: the shopper can ask again, but there is nothing here to pay with.
    expect(part(el, 'check')).to.exist;
    expect(part(el, 'back') === null, 'back').to.equal(true);
    status = 'failed';
    part(el, 'check')?.click();
    await until(() => stateOf(el) === 'failed');
    await el.updateComplete;
    expect(part(el, 'retry') === null, 'retry').to.equal(true);
    expect(part(el, 'button') === null, 'button').to.equal(true);
    expect(backend.creates.length).to.equal(0);
  });

  for (const lang of LOCALES) {
    it(`every page-leaving state is accessible in ${lang}`, async function () {
      this.timeout(15_000);
      const answers: Record<string, unknown> = {
        redirect: { gateway: 'epay', response: { code: 1, payurl: 'https://pay.example/x' } },
        deeplink: { gateway: 'epay', response: { code: 1, urlscheme: 'weixin://dl/business/?t=abc' } },
        alipay: { gateway: 'epay', response: { code: 1, payurl: 'https://openapi.alipay.com/gateway.do?x=1' } },
        token: { gateway: 'careyshop', response: { status: 200, message: 'success', data: ORDER_APP_ALIPAY_TOKEN } },
        jsapi: {
          gateway: 'pingpp',
          response: {
            object: 'charge',
            channel: 'wx_pub',
            order_no: 'B-2002',
            amount: 5000,
            paid: false,
            credential: { object: 'credential', wx_pub: jsapiParams },
          },
        },
      };
      // A WeChat sheet that stays up, and an app that has the token: both states hold still for axe.
      (window as { WeixinJSBridge?: unknown }).WeixinJSBridge = { invoke() {} };
      (window as { ReactNativeWebView?: unknown }).ReactNativeWebView = { postMessage() {} };
      let answer = 'redirect';
      backend = fakeBackend({ create: () => json(answers[answer]), status: () => json({ status: 'pending' }) });
      interceptNavigation();
      const cases: [string, Environment, string][] = [
        ['redirect', desktop, 'redirecting'],
        ['deeplink', desktop, 'app-fallback'],
        ['alipay', wechat, 'open-in-browser'],
        ['jsapi', wechat, 'wechat'],
        ['jsapi', desktop, 'open-in-wechat'],
        ['token', { mobile: true, os: 'android', inApp: 'webview', nativeBridge: 'react-native' }, 'native'],
      ];
      for (const [which, environment, state] of cases) {
        answer = which;
        const el = await mount(environment, '', lang);
        await pay(el);
        await until(() => stateOf(el) === state, 3000, state);
        await el.updateComplete;
        await fadesSettled();
        await expect(el, `${state} in ${lang}`).to.be.accessible();
        el.remove();
      }
      // After coming back from the gateway: the waiting state with its two buttons.
      answer = 'redirect';
      const el = await mount(desktop);
      el.setAttribute('lang', lang);
      await pay(el);
      expect(stateOf(el)).to.equal('redirecting');
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
      await until(() => stateOf(el) === 'waiting');
      await el.updateComplete;
      await expect(el, `waiting in ${lang}`).to.be.accessible();
      el.remove();
    });
  }
});
