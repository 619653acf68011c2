// Inside a mini-program's web-view: the payment handed to the merchant's mini-program page with
// `navigateTo`, followed with the backend once the shopper is back; a page without the web-view
// script says so, in the shopper's language, and tells the developer which script to include.
import { expect, fixture, html } from '@open-wc/testing';
import type { Environment } from '../../../src/core/environment.js';
import type { PollSchedule } from '../../../src/core/poller.js';
import type { CashdeskCheckout } from '../../../src/elements/cashdesk-checkout/cashdesk-checkout.js';
import '../../../src/elements/cashdesk-checkout/cashdesk-checkout.js';
import { registerBuiltinGateways } from '../../../src/gateways/builtin.js';
import {
  type FakeBackend,
  fakeBackend,
  json,
  restoreVisibility,
  setVisibility,
  until,
} from '../helpers/fake-backend.js';

registerBuiltinGateways();

const fast: Partial<PollSchedule> = { first: 5000, interval: 5000, factor: 1, cap: 5000, errorCap: 5000, jitter: 0 };
const wechatMini: Environment = { mobile: true, os: 'ios', inApp: 'wechat-miniprogram' };
const alipayMini: Environment = { mobile: true, os: 'android', inApp: 'alipay-miniprogram' };
const wechatBrowser: Environment = { mobile: true, os: 'ios', inApp: 'wechat' };

const WX_PARAMS = {
  appId: 'wx2421b1c4370ec43b',
  timeStamp: '1395712654',
  nonceStr: 'e61463f8efa94090b1f366cccfbbb444',
  package: 'prepay_id=u802345jgfjsdfgsdg888',
  signType: 'MD5',
  paySign: '70EA570631E4BB79628FBCA90534C63F',
};
const charge = (channel: string, credential: unknown) => ({
  gateway: 'pingpp',
  response: {
    object: 'charge',
    channel,
    order_no: 'A-1001',
    amount: 9900,
    paid: false,
    livemode: false,
    credential: { object: 'credential', [channel]: credential },
  },
});

type Host = { wx?: unknown; my?: unknown };
let backend: FakeBackend | undefined;
const warned: unknown[][] = [];
const originalWarn = console.warn;
beforeEach(() => {
  console.warn = (...args: unknown[]) => warned.push(args);
});
afterEach(() => {
  console.warn = originalWarn;
  warned.length = 0;
  backend?.restore();
  backend = undefined;
  sessionStorage.clear();
  restoreVisibility();
  delete (window as Host).wx;
  delete (window as Host).my;
});

const part = (el: CashdeskCheckout, name: string) => el.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`);
const stateOf = (el: CashdeskCheckout) => el.shadowRoot?.querySelector('[part="base"]')?.getAttribute('data-state');

async function checkout(environment: Environment, answer: unknown, paid: () => boolean, page = '') {
  backend = fakeBackend({
    create: () => json(answer),
    status: () => json({ orderId: 'A-1001', status: paid() ? 'paid' : 'pending' }),
  });
  const el = await fixture<CashdeskCheckout>(html`<cashdesk-checkout
    endpoint="/api/pay"
    status-endpoint="/api/status"
    order-id="A-1001"
    amount="9900"
    currency="CNY"
    methods="wxpay alipay"
    mini-program-page=${page}
    lang="zh-CN"
    .environment=${environment}
    .pollSchedule=${fast}
  ></cashdesk-checkout>`);
  return el;
}

describe('<cashdesk-checkout> in a mini-program web-view', () => {
  it('WeChat: wx_lite goes to the mini-program page; back on the page the backend is asked, and its paid ends it', async () => {
    const urls: string[] = [];
    (window as Host).wx = {
      miniProgram: {
        getEnv: (cb: (r: { miniprogram: boolean }) => void) => cb({ miniprogram: true }),
        navigateTo: (o: { url: string; success?: () => void }) => {
          urls.push(o.url);
          o.success?.();
        },
      },
    };
    let paid = false;
    const el = await checkout(wechatMini, charge('wx_lite', WX_PARAMS), () => paid, '/pages/pay/index');
    const success = new Promise((resolve) => el.addEventListener('cashdesk-success', resolve, { once: true }));
    await el.pay();
    await until(() => urls.length === 1, 3000, 'navigateTo');
    expect(stateOf(el)).to.equal('mini-program');
    expect(urls[0]).to.equal(
      `/pages/pay/index?orderId=A-1001&${Object.entries(WX_PARAMS)
        .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
        .join('&')}`,
    );
    await el.updateComplete;
    expect(part(el, 'message')?.textContent).to.include('请在小程序中完成支付');
    const checksBefore = backend?.statuses.length ?? 0;
    paid = true;
    setVisibility('hidden');
    setVisibility('visible');
    await success;
    expect(backend?.statuses.length).to.be.greaterThan(checksBefore);
    await el.updateComplete;
    expect(stateOf(el)).to.equal('paid');
  });

  it('WeChat: a wx_pub charge is handed over the same way, with the default page', async () => {
    const urls: string[] = [];
    (window as Host).wx = {
      miniProgram: {
        navigateTo: (o: { url: string; success?: () => void }) => {
          urls.push(o.url);
          o.success?.();
        },
      },
    };
    const el = await checkout(wechatMini, charge('wx_pub', WX_PARAMS), () => false);
    await el.pay();
    await until(() => urls.length === 1, 3000, 'navigateTo');
    expect(urls[0]?.startsWith('/pages/cashdesk-pay/index?orderId=A-1001&appId=wx2421b1c4370ec43b&')).to.equal(true);
    // Back, and the backend still says pending: the payment is followed, never called paid.
    setVisibility('hidden');
    setVisibility('visible');
    await until(() => stateOf(el) === 'waiting', 3000, 'waiting');
    expect(part(el, 'back')).to.exist;
  });

  it('Alipay: alipay_lite goes to my.navigateTo with the trade number', async () => {
    const urls: string[] = [];
    (window as Host).my = {
      getEnv: (cb: (r: { miniprogram: boolean }) => void) => cb({ miniprogram: true }),
      navigateTo: (o: { url: string; success?: () => void }) => {
        urls.push(o.url);
        o.success?.();
      },
    };
    const el = await checkout(alipayMini, charge('alipay_lite', '2017111521001104105336'), () => false);
    await el.pay();
    await until(() => urls.length === 1, 3000, 'navigateTo');
    expect(urls[0]).to.equal('/pages/cashdesk-pay/index?orderId=A-1001&tradeNO=2017111521001104105336');
    expect(stateOf(el)).to.equal('mini-program');
  });

  it('a page without the web-view script: the shopper is told, the developer warned with the script, Retry tries again', async () => {
    const el = await checkout(wechatMini, charge('wx_lite', WX_PARAMS), () => false);
    const errors: string[] = [];
    el.addEventListener('cashdesk-error', (event) => errors.push(event.detail.code));
    await el.pay();
    await until(() => stateOf(el) === 'error', 3000, 'error');
    await el.updateComplete;
    expect(errors).to.deep.equal(['bridge_unavailable']);
    expect(part(el, 'message')?.textContent).to.include('页面未加载小程序 web-view 脚本');
    expect(warned.map((args) => String(args[0])).join('\n')).to.include(
      '<script src="https://res.wx.qq.com/open/js/jweixin-1.6.0.js"></script>',
    );
    const urls: string[] = [];
    (window as Host).wx = {
      miniProgram: {
        navigateTo: (o: { url: string; success?: () => void }) => {
          urls.push(o.url);
          o.success?.();
        },
      },
    };
    part(el, 'retry')?.click();
    await until(() => urls.length === 1, 3000, 'navigateTo on retry');
    expect(backend?.creates.length).to.equal(1);
  });

  it('wx_lite outside the mini-program (WeChat’s browser) is refused with unsupported_environment', async () => {
    const el = await checkout(wechatBrowser, charge('wx_lite', WX_PARAMS), () => false);
    const errors: string[] = [];
    el.addEventListener('cashdesk-error', (event) => errors.push(event.detail.code));
    await el.pay();
    await until(() => stateOf(el) === 'error', 3000, 'error');
    expect(errors).to.deep.equal(['unsupported_environment']);
    await el.updateComplete;
    expect(part(el, 'back')).to.exist;
  });
});
