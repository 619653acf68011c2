// "Choose another method" from every state in which the payment is followed (FOLLOWING_VIEWS):
// the order is kept, and the abandoned attempt's late answers (its status check, the action's
// own callback) are ignored. Each state is reached by awaiting the element's own answer, and the
// status check in flight by awaiting the request itself: no sleeps.
import { expect, fixture, html } from '@open-wc/testing';
import type { Environment } from '../../../src/core/environment.js';
import type { PollSchedule } from '../../../src/core/poller.js';
import { preloadQrEncoder } from '../../../src/core/qr.js';
import type { CashdeskCheckout } from '../../../src/elements/cashdesk-checkout/cashdesk-checkout.js';
import '../../../src/elements/cashdesk-checkout/cashdesk-checkout.js';
import { FOLLOWING_VIEWS, type FollowingView } from '../../../src/flow/state.js';
import { registerBuiltinGateways } from '../../../src/gateways/builtin.js';
import { navigation } from '../../../src/perform/navigation.js';
import { ORDER_APP_ALIPAY_TOKEN } from '../gateways/fixtures/careyshop.js';
import {
  deferred,
  type FakeBackend,
  fakeBackend,
  json,
  nextStatus,
  type Recorded,
  restoreVisibility,
  setVisibility,
} from '../helpers/fake-backend.js';

registerBuiltinGateways();

const fast: Partial<PollSchedule> = { first: 10, interval: 20, factor: 1, cap: 20, errorCap: 40, jitter: 0 };
const desktop: Environment = { mobile: false, os: 'other' };
const android: Environment = { mobile: true, os: 'android' };
const wechat: Environment = { mobile: true, os: 'ios', inApp: 'wechat' };
const appWebview: Environment = { mobile: true, os: 'android', inApp: 'webview', nativeBridge: 'react-native' };
const plainWebview: Environment = { mobile: true, os: 'android', inApp: 'webview' };
const wechatMini: Environment = { mobile: true, os: 'ios', inApp: 'wechat-miniprogram' };
const alipayApp: Environment = { mobile: true, os: 'ios', inApp: 'alipay' };

const qrAnswer = {
  gateway: 'epay',
  response: { code: 1, trade_no: '2020080615134334901', qrcode: 'weixin://wxpay/bizpayurl?pr=04IPMKM' },
};
const jsapiAnswer = {
  gateway: 'pingpp',
  response: {
    object: 'charge',
    channel: 'wx_pub',
    order_no: 'A-1001',
    amount: 9900,
    paid: false,
    credential: {
      object: 'credential',
      wx_pub: {
        appId: 'wx2421b1c4370ec43b',
        timeStamp: '1395712654',
        nonceStr: 'e61463f8efa94090b1f366cccfbbb444',
        package: 'prepay_id=u802345jgfjsdfgsdg888',
        signType: 'MD5',
        paySign: '70EA570631E4BB79628FBCA90534C63FF7FADD89',
      },
    },
  },
};
const tokenAnswer = {
  gateway: 'careyshop',
  response: { status: 200, message: 'success', data: ORDER_APP_ALIPAY_TOKEN },
};

interface Case {
  environment: Environment;
  /** The create's answer that leads to the state. */
  answer: unknown;
  /** What the page or the device does before Pay (a bridge, a cancelled event). */
  arrange?: (el: CashdeskCheckout) => void;
  /** The action's own late answer, delivered after the shopper left for the methods. */
  late?: () => void;
}

let sheet: ((res: { err_msg: string }) => void) | undefined;
let cashier: ((res: { resultCode: string }) => void) | undefined;

const cases: Record<FollowingView, Case> = {
  qr: { environment: desktop, answer: qrAnswer },
  // The merchant performs the action itself: the checkout follows the payment.
  waiting: {
    environment: desktop,
    answer: qrAnswer,
    arrange: (el) => el.addEventListener('cashdesk-action', (event) => event.preventDefault(), { once: true }),
  },
  redirecting: {
    environment: desktop,
    answer: { gateway: 'epay', response: { code: 1, payurl: 'https://pay.example/x' } },
  },
  app: {
    environment: android,
    answer: { gateway: 'epay', response: { code: 1, urlscheme: 'weixin://dl/business/?t=abc' } },
    // The app comes to the front after all, and the shopper back from it.
    late: () => {
      setVisibility('hidden');
      setVisibility('visible');
    },
  },
  'app-fallback': {
    environment: desktop,
    answer: { gateway: 'epay', response: { code: 1, urlscheme: 'weixin://dl/business/?t=abc' } },
  },
  wechat: {
    environment: wechat,
    answer: jsapiAnswer,
    // A sheet that stays up until the test answers for it.
    arrange: () => {
      (window as { WeixinJSBridge?: unknown }).WeixinJSBridge = {
        invoke: (_method: string, _params: unknown, callback: (res: { err_msg: string }) => void) => {
          sheet = callback;
        },
      };
    },
    late: () => sheet?.({ err_msg: 'get_brand_wcpay_request:ok' }),
  },
  // An Alipay order string inside the Alipay app: its cashier stays up until the test answers.
  alipay: {
    environment: alipayApp,
    answer: tokenAnswer,
    arrange: () => {
      (window as { AlipayJSBridge?: unknown }).AlipayJSBridge = {
        call: (_api: string, _params: unknown, callback: (res: { resultCode: string }) => void) => {
          cashier = callback;
        },
      };
    },
    late: () => cashier?.({ resultCode: '9000' }),
  },
  'open-in-wechat': { environment: desktop, answer: jsapiAnswer },
  'open-in-browser': {
    environment: wechat,
    answer: { gateway: 'epay', response: { code: 1, payurl: 'https://openapi.alipay.com/gateway.do?x=1' } },
  },
  native: {
    environment: appWebview,
    answer: tokenAnswer,
    arrange: () => {
      (window as { ReactNativeWebView?: unknown }).ReactNativeWebView = { postMessage: () => {} };
    },
    late: () =>
      window.dispatchEvent(
        new CustomEvent('cashdesk-native-result', { detail: { orderId: 'A-1001', outcome: 'success' } }),
      ),
  },
  // An SDK token in a webview with no bridge to hand it to.
  unsupported: { environment: plainWebview, answer: tokenAnswer },
  // wx_pub in a mini-program's web-view: handed to the mini-program, whose page comes back later.
  'mini-program': {
    environment: wechatMini,
    answer: jsapiAnswer,
    arrange: () => {
      (window as { wx?: unknown }).wx = { miniProgram: { navigateTo: () => {} } };
    },
    late: () => {
      setVisibility('hidden');
      setVisibility('visible');
    },
  },
};

let backend: FakeBackend | undefined;
let restoreNavigation: (() => void) | undefined;
afterEach(() => {
  backend?.restore();
  backend = undefined;
  sessionStorage.clear();
  restoreNavigation?.();
  restoreNavigation = undefined;
  restoreVisibility();
  sheet = undefined;
  cashier = undefined;
  delete (window as { WeixinJSBridge?: unknown }).WeixinJSBridge;
  delete (window as { AlipayJSBridge?: unknown }).AlipayJSBridge;
  delete (window as { ReactNativeWebView?: unknown }).ReactNativeWebView;
  delete (window as { wx?: unknown }).wx;
});

/** Leaving the page is recorded, never done. */
function interceptNavigation(): string[] {
  const assigned: string[] = [];
  const { assign, submit } = navigation;
  navigation.assign = (url) => {
    assigned.push(url);
  };
  navigation.submit = () => {};
  restoreNavigation = () => {
    navigation.assign = assign;
    navigation.submit = submit;
  };
  return assigned;
}

const part = (el: CashdeskCheckout, name: string) => el.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`);
const stateOf = (el: CashdeskCheckout) => el.shadowRoot?.querySelector('[part="base"]')?.getAttribute('data-state');
const focused = (el: CashdeskCheckout) =>
  el.shadowRoot?.activeElement?.getAttribute('part') ?? String(document.activeElement?.tagName);
const keyOf = (call: Recorded | undefined) => (call?.body as { idempotencyKey?: string } | undefined)?.idempotencyKey;

describe('<cashdesk-checkout> choose another method', () => {
  before(async function () {
    this.timeout(30_000);
    await preloadQrEncoder();
  });

  it('is offered in every state in which the payment is followed', () => {
    expect(Object.keys(cases).sort()).to.deep.equal([...FOLLOWING_VIEWS].sort());
  });

  for (const view of FOLLOWING_VIEWS) {
    it(`from ${view}: back to the methods with the order kept; the abandoned attempt's late answers are ignored`, async () => {
      const c = cases[view];
      // The first status check of the first attempt is held, and answered "paid" once it is abandoned.
      const asked = deferred<Recorded>();
      const late = deferred<Response>();
      backend = fakeBackend({
        create: (_call, n) => json(n === 1 ? c.answer : qrAnswer),
        status: (call, n) => {
          if (n > 1) return 'hang';
          asked.resolve(call);
          return late.promise;
        },
      });
      interceptNavigation();
      const el = await fixture<CashdeskCheckout>(html`<cashdesk-checkout
        endpoint="/api/pay"
        status-endpoint="/api/status"
        order-id="A-1001"
        amount="9900"
        currency="CNY"
        methods="alipay wxpay"
        lang="en"
        .environment=${c.environment}
        .pollSchedule=${fast}
      ></cashdesk-checkout>`);
      const ended: string[] = [];
      for (const type of ['cashdesk-success', 'cashdesk-failure', 'cashdesk-expired', 'cashdesk-error']) {
        el.addEventListener(type, () => ended.push(type));
      }
      c.arrange?.(el);
      part(el, 'button')?.click();
      await el.pay();
      const check = await asked.promise;
      await el.updateComplete;
      expect(stateOf(el)).to.equal(view);

      const back = part(el, 'back') as HTMLButtonElement;
      expect(back.textContent?.trim()).to.equal('Choose another method');
      const idle = nextStatus(el, { state: 'idle' });
      back.click();
      expect(await idle, 'the idle state names the order').to.deep.equal({ orderId: 'A-1001', state: 'idle' });
      await el.updateComplete;
      expect(stateOf(el)).to.equal('idle');
      expect(focused(el), 'focus on Pay').to.equal('button');
      expect(check.signal?.aborted, 'the check in flight is aborted').to.equal(true);

      // The abandoned attempt answers late: the backend says paid, the action reports back.
      late.resolve(json({ status: 'paid' }));
      c.late?.();
      await check.settled;

      // Another method for the same order: a new attempt with a new key, and nothing of the old one.
      el.shadowRoot?.querySelectorAll<HTMLInputElement>('input[type="radio"]')[1]?.click();
      part(el, 'button')?.click();
      await el.pay();
      await el.updateComplete;
      expect(stateOf(el)).to.equal('qr');
      const [first, second] = backend.creates;
      expect(second?.body).to.include({ orderId: 'A-1001', method: 'wxpay' });
      expect(keyOf(second)).to.be.a('string').and.not.equal(keyOf(first));
      expect(ended, 'no event of the abandoned attempt').to.deep.equal([]);
      el.remove();
    });
  }
});
