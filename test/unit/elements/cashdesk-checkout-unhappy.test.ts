// The shopper's unhappy paths (issue 13): focus, another method from the QR, a setup error, a
// desktop deep link, a return page that ends, the merchant's own words. Each state is reached by
// awaiting the element's own answer (`pay()` resolves when the create's answer is shown).
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

async function mount(methods = 'alipay wxpay'): Promise<CashdeskCheckout> {
  return fixture<CashdeskCheckout>(html`<cashdesk-checkout
    endpoint="/api/pay"
    status-endpoint="/api/status"
    order-id="A-1001"
    amount="9900"
    currency="CNY"
    methods=${methods}
    lang="en"
    .pollSchedule=${fast}
  ></cashdesk-checkout>`);
}

const part = (el: CashdeskCheckout, name: string) => el.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`);
const stateOf = (el: CashdeskCheckout) => el.shadowRoot?.querySelector('[part="base"]')?.getAttribute('data-state');
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

  it('from the QR the shopper can choose another method; the order is kept and the first QR is forgotten', async () => {
    let status = 'pending';
    backend = fakeBackend({ create: () => json(qrAnswer), status: () => json({ status }) });
    const el = await mount();
    const ended: string[] = [];
    el.addEventListener('cashdesk-success', () => ended.push('success'));
    await payWithKeyboard(el);
    expect(stateOf(el)).to.equal('qr');
    part(el, 'back')?.click();
    await el.updateComplete;
    expect(stateOf(el)).to.equal('idle');
    expect(el.orderId).to.equal('A-1001');
    expect(focused(el), 'back on Pay').to.equal('button');
    const asked = backend.statuses.length;
    status = 'paid';
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(backend.statuses.length, 'the abandoned QR is no longer followed').to.equal(asked);
    expect(ended).to.deep.equal([]);
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
