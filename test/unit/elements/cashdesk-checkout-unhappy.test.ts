// The shopper's unhappy paths (issue 13): focus, the sentence for each kind of failure, a setup
// error, a desktop deep link, a return page that ends, the merchant's own words. Each state is
// reached by awaiting the element's own answer (`pay()` resolves when the create's answer is
// shown). Another method from every waiting state: cashdesk-checkout-another-method.test.ts.
import { expect, fixture, html } from '@open-wc/testing';
import type { PollSchedule } from '../../../src/core/poller.js';
import type { CashdeskCheckout } from '../../../src/elements/cashdesk-checkout/cashdesk-checkout.js';
import '../../../src/elements/cashdesk-checkout/cashdesk-checkout.js';
import { registerBuiltinGateways } from '../../../src/gateways/builtin.js';
import { registerGatewayLoader } from '../../../src/gateways/registry.js';
import { registerMessages } from '../../../src/i18n/localize.js';
import { type FakeBackend, fakeBackend, json, until } from '../helpers/fake-backend.js';

registerBuiltinGateways();

const fast: Partial<PollSchedule> = { first: 10, interval: 20, factor: 1, cap: 20, errorCap: 40, jitter: 0 };
const qrAnswer = {
  gateway: 'epay',
  response: { code: 1, trade_no: '2020080615134334901', qrcode: 'weixin://wxpay/bizpayurl?pr=04IPMKM' },
};

let backend: FakeBackend | undefined;
afterEach(() => {
  backend?.restore();
  backend = undefined;
  sessionStorage.clear();
});

async function mount(methods = 'alipay wxpay', lang = 'en'): Promise<CashdeskCheckout> {
  return fixture<CashdeskCheckout>(html`<cashdesk-checkout
    endpoint="/api/pay"
    status-endpoint="/api/status"
    order-id="A-1001"
    amount="9900"
    currency="CNY"
    methods=${methods}
    lang=${lang}
    .pollSchedule=${fast}
  ></cashdesk-checkout>`);
}

const part = (el: CashdeskCheckout, name: string) => el.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`);
const stateOf = (el: CashdeskCheckout) => el.shadowRoot?.querySelector('[part="base"]')?.getAttribute('data-state');
const liveText = (el: CashdeskCheckout) => el.shadowRoot?.querySelector('[role="status"]')?.textContent?.trim() ?? '';
const focused = (el: CashdeskCheckout) =>
  el.shadowRoot?.activeElement?.getAttribute('part') ?? String(document.activeElement?.tagName);

/** Pays as a keyboard user does: Pay has the focus, Enter clicks it. */
async function payWithKeyboard(el: CashdeskCheckout): Promise<void> {
  part(el, 'button')?.focus();
  part(el, 'button')?.click();
  await el.pay();
  await el.updateComplete;
}

describe('<cashdesk-checkout> unhappy paths', () => {
  it('focus: on Pay while the payment is prepared, then on the QR state message, never on the body', async () => {
    backend = fakeBackend({ create: () => json(qrAnswer), status: () => 'hang' });
    const el = await mount();
    part(el, 'button')?.focus();
    part(el, 'button')?.click();
    await el.updateComplete;
    expect(focused(el), 'while creating').to.equal('button');
    await el.pay();
    await el.updateComplete;
    expect(stateOf(el)).to.equal('qr');
    expect(focused(el), 'with the QR').to.equal('message');
  });

  // [kind, the gateway's own words (epay's are Chinese, here on an English page), the sentence, Try again]
  const failures: [string, string, string, boolean][] = [
    ['declined', '交易被风控拒绝', 'The payment was declined. You can try again or choose another method.', true],
    ['expired', '订单已超时', 'The payment timed out. You can try again.', true],
    [
      'method_unavailable',
      '该支付方式暂未开通',
      'This payment method is unavailable right now. Choose another.',
      false,
    ],
  ];
  for (const [reason, words, sentence, again] of failures) {
    it(`a ${reason} failure reads as its sentence, the gateway's words only the detail; ${again ? 'Try again' : 'another method'}`, async () => {
      backend = fakeBackend({ create: () => json({ gateway: 'epay', response: { code: -1, msg: words } }) });
      const el = await mount();
      const told: unknown[] = [];
      el.addEventListener('cashdesk-failure', (event) => told.push((event as CustomEvent).detail));
      await payWithKeyboard(el);
      expect(stateOf(el)).to.equal('failed');
      expect(told).to.deep.equal([{ orderId: 'A-1001', code: '-1', message: words, reason }]);
      expect(part(el, 'message')?.textContent?.trim()).to.equal(sentence);
      expect(liveText(el)).to.equal(sentence);
      expect(part(el, 'detail')?.textContent?.trim()).to.equal(`Details: ${words}`);
      if (again) {
        expect(part(el, 'retry')?.textContent?.trim()).to.equal('Try again');
        expect(focused(el)).to.equal('retry');
        part(el, 'retry')?.click();
        await el.updateComplete;
        expect(stateOf(el), 'Try again: back to Pay, the order kept').to.equal('idle');
      } else {
        expect(part(el, 'retry')).to.equal(null);
        expect(part(el, 'back')?.textContent?.trim()).to.equal('Choose another method');
        expect(focused(el)).to.equal('back');
      }
    });
  }

  it("on a zh-CN page the sentence is Chinese, and the gateway's English words are only the detail", async () => {
    const words = 'The user balance is not enough';
    backend = fakeBackend({ create: () => json({ gateway: 'epay', response: { code: -1, msg: words } }) });
    const el = await mount('alipay wxpay', 'zh-CN');
    await payWithKeyboard(el);
    expect(stateOf(el)).to.equal('failed');
    expect(part(el, 'message')?.textContent?.trim()).to.equal('余额不足。请选择其他支付方式，或充值后重试。');
    expect(liveText(el)).to.equal('余额不足。请选择其他支付方式，或充值后重试。');
    expect(part(el, 'detail')?.textContent?.trim()).to.equal(`详情：${words}`);
    // The same balance would meet the same payment: another method, not Try again.
    expect(part(el, 'retry')).to.equal(null);
    expect(part(el, 'back')?.textContent?.trim()).to.equal('选择其他支付方式');
    expect(focused(el)).to.equal('back');
  });

  it('a create endpoint that answers 404 says the method is unavailable, warns the developer, and offers no Retry', async () => {
    backend = fakeBackend({ create: () => json({ error: 'Not Found' }, 404) });
    const el = await mount();
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      await payWithKeyboard(el);
    } finally {
      console.warn = warn;
    }
    expect(stateOf(el)).to.equal('error');
    expect(part(el, 'message')?.textContent?.trim()).to.equal(
      'This payment method is unavailable right now. Choose another.',
    );
    expect(part(el, 'retry')).to.equal(null);
    expect(focused(el)).to.equal('back');
    expect(warnings.length).to.equal(1);
    expect(String(warnings[0]?.[0])).to.contain('404');
  });

  it("a bad API key at the gateway: never the gateway's words, another method, a warning", async () => {
    backend = fakeBackend({
      create: () =>
        json({
          gateway: 'pingpp',
          response: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_abc' } },
        }),
    });
    const el = await mount();
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (message: unknown) => warnings.push(message);
    try {
      await payWithKeyboard(el);
    } finally {
      console.warn = warn;
    }
    expect(stateOf(el)).to.equal('failed');
    expect(el.shadowRoot?.textContent).to.not.contain('sk_test');
    expect(part(el, 'detail')).to.equal(null);
    expect(part(el, 'retry')).to.equal(null);
    expect(part(el, 'back')).to.exist;
    expect(warnings.length).to.equal(1);
  });

  it('a deep link on a desktop is a code to scan with the phone, with no word of an app that failed', async () => {
    backend = fakeBackend({
      create: () =>
        json({ gateway: 'epay', response: { code: 1, trade_no: 'T1', urlscheme: 'weixin://dl/business/?t=abc' } }),
      status: () => 'hang',
    });
    const el = await mount();
    el.environment = { mobile: false, os: 'other' };
    await payWithKeyboard(el);
    expect(stateOf(el)).to.equal('app-fallback');
    const label = (part(el, 'qr') as HTMLElement & { label: string }).label;
    expect(label).to.equal('Scan this code with WeChat Pay on your phone to pay');
    expect(el.shadowRoot?.textContent).to.not.contain('install');
  });

  it('a return page: a canceled payment ends on a final screen with the way back to the checkout', async () => {
    backend = fakeBackend({ status: () => json({ status: 'canceled' }) });
    const el = await fixture<CashdeskCheckout>(html`<cashdesk-checkout
      status-endpoint="/api/status"
      order-id="B-2002"
      resume
      checkout-url="/checkout?order=B-2002"
      lang="en"
      .pollSchedule=${fast}
    ></cashdesk-checkout>`);
    await until(() => stateOf(el) === 'failed');
    await el.updateComplete;
    expect(part(el, 'message')?.textContent?.trim()).to.equal('The payment was canceled.');
    const back = part(el, 'back') as HTMLAnchorElement;
    expect(back.tagName).to.equal('A');
    expect(back.href).to.equal(new URL('/checkout?order=B-2002', location.href).href);
    expect(part(el, 'retry')).to.equal(null);
  });

  it('a return page: a long pending says so and offers a check, not an endless spinner', async () => {
    backend = fakeBackend({ status: () => json({ status: 'pending' }) });
    const el = await fixture<CashdeskCheckout>(html`<cashdesk-checkout
      status-endpoint="/api/status"
      order-id="B-2002"
      resume
      lang="en"
      .pollSchedule=${fast}
    ></cashdesk-checkout>`);
    await until(() => backend!.statuses.length >= 11, 5000, 'ten pending answers');
    await el.updateComplete;
    expect(stateOf(el)).to.equal('waiting');
    expect(part(el, 'message')?.textContent?.trim()).to.equal(
      'We have not received your payment yet. If you have paid, it can take a moment: check again.',
    );
    expect(el.shadowRoot?.querySelector('.spinner')).to.equal(null);
    expect(part(el, 'check')).to.exist;
  });

  it("the merchant's own words: registerMessages and method labels; CareyShop's cod and balance have names", async () => {
    const el = await mount('cod balance alipay');
    const names = () => [...(el.shadowRoot?.querySelectorAll('.method span') ?? [])].map((s) => s.textContent);
    expect(names()).to.deep.equal(['Cash on delivery', 'Account balance', 'Alipay']);
    el.methodLabels = { alipay: 'Alipay (scan)' };
    registerMessages('en', { methodNames: { cod: 'Pay the courier' } as never });
    await el.updateComplete;
    expect(names()).to.deep.equal(['Pay the courier', 'Account balance', 'Alipay (scan)']);
    registerMessages('en', { methodNames: { cod: 'Cash on delivery' } as never });
  });

  it("a gateway's adapter fetched when first needed: asked for as the create starts, then its QR is shown", async () => {
    let loads = 0;
    registerGatewayLoader('lazy-qr', async () => {
      loads += 1;
      return () => ({ kind: 'qr', content: 'https://qr.alipay.com/lazy' });
    });
    backend = fakeBackend({ create: () => json({ gateway: 'lazy-qr', response: {} }), status: () => 'hang' });
    const el = await mount();
    await payWithKeyboard(el);
    expect(stateOf(el)).to.equal('qr');
    expect((part(el, 'qr') as HTMLElement & { content: string }).content).to.equal('https://qr.alipay.com/lazy');
    expect(loads).to.equal(1);
  });

  it("an adapter that could not be fetched is the network's fault: Retry sends the same key, never a second payment", async () => {
    let loads = 0;
    registerGatewayLoader('lazy-flaky', async () => {
      loads += 1;
      // Both the fetch started with the create and the one for its answer fail.
      if (loads <= 2) throw new TypeError('Failed to fetch dynamically imported module');
      return () => ({ kind: 'qr', content: 'https://qr.alipay.com/flaky' });
    });
    backend = fakeBackend({ create: () => json({ gateway: 'lazy-flaky', response: {} }), status: () => 'hang' });
    const el = await mount();
    await payWithKeyboard(el);
    expect(stateOf(el)).to.equal('error');
    expect(focused(el)).to.equal('retry');
    part(el, 'retry')?.click();
    await el.pay();
    await el.updateComplete;
    expect(stateOf(el)).to.equal('qr');
    const keys = backend.creates.map((c) => (c.body as { idempotencyKey: string }).idempotencyKey);
    expect(keys.length).to.be.greaterThan(1);
    expect(new Set(keys).size).to.equal(1);
  });
});
