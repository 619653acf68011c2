import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { PollSchedule } from '../../../src/core/poller.js';
import { preloadQrEncoder } from '../../../src/core/qr.js';
import type { CashdeskCheckout } from '../../../src/elements/cashdesk-checkout/cashdesk-checkout.js';
import '../../../src/elements/cashdesk-checkout/cashdesk-checkout.js';
import { registerBuiltinGateways } from '../../../src/gateways/builtin.js';
import { registerGateway } from '../../../src/gateways/registry.js';
import { LOCALES } from '../../../src/i18n/messages.js';
import {
  deferred,
  type FakeBackend,
  fakeBackend,
  htmlBody,
  json,
  nextStatus,
  type Reply,
  restoreVisibility,
  setVisibility,
  sleep,
  until,
} from '../helpers/fake-backend.js';

registerBuiltinGateways();
// A gateway whose QR carries an expiry, so the countdown and refresh paths can be walked.
registerGateway('test-expiring', (response) => ({
  kind: 'qr',
  content: 'weixin://wxpay/bizpayurl?pr=expiring',
  expiresAt: String((response as { expiresAt: string }).expiresAt),
}));

const fast: Partial<PollSchedule> = { first: 10, interval: 20, factor: 1, cap: 20, errorCap: 40, jitter: 0 };
const qrAnswer = {
  gateway: 'epay',
  response: { code: 1, trade_no: '2020080615134334901', qrcode: 'weixin://wxpay/bizpayurl?pr=04IPMKM' },
};
const pending = () => json({ status: 'pending' });

let backend: FakeBackend | undefined;
afterEach(() => {
  backend?.restore();
  backend = undefined;
  // Attempt keys are kept per tab for reloads; each test starts a fresh tab's worth.
  sessionStorage.clear();
  restoreVisibility();
});

async function mount(lang = 'en'): Promise<CashdeskCheckout> {
  return fixture<CashdeskCheckout>(html`<cashdesk-checkout
    endpoint="/api/pay"
    status-endpoint="/api/status"
    order-id="A-1001"
    amount="9900"
    currency="CNY"
    methods="alipay wxpay"
    return-url="https://shop.example/return"
    lang=${lang}
    .pollSchedule=${fast}
  ></cashdesk-checkout>`);
}

const part = (el: CashdeskCheckout, name: string) => el.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`);
const stateOf = (el: CashdeskCheckout) => el.shadowRoot?.querySelector('[part="base"]')?.getAttribute('data-state');
const liveText = (el: CashdeskCheckout) => el.shadowRoot?.querySelector('[role="status"]')?.textContent?.trim() ?? '';

function record(el: CashdeskCheckout) {
  const events: { type: string; detail: unknown }[] = [];
  for (const type of [
    'cashdesk-action',
    'cashdesk-success',
    'cashdesk-failure',
    'cashdesk-expired',
    'cashdesk-error',
  ]) {
    el.addEventListener(type, (event) => events.push({ type, detail: (event as Event & { detail: unknown }).detail }));
  }
  const terminal = () =>
    events.filter((e) => ['cashdesk-success', 'cashdesk-failure', 'cashdesk-expired'].includes(e.type));
  return { events, terminal };
}

async function payAndShowQr(el: CashdeskCheckout) {
  await el.updateComplete;
  part(el, 'button')?.click();
  // The click started the payment; pay() waits for the same create's answer.
  await el.pay();
  await el.updateComplete;
  expect(stateOf(el)).to.equal('qr');
}

describe('<cashdesk-checkout>', () => {
  before(async function () {
    // The encoder is a lazy chunk (the checkout fetches it as a payment starts); served to the test
    // page it is bundled on first request, which can take seconds on a busy machine.
    this.timeout(30_000);
    await preloadQrEncoder();
  });

  it('renders', async () => {
    backend = fakeBackend({});
    const el = await mount();
    expect(part(el, 'amount')?.textContent).to.equal('CN¥99.00');
    const radios = el.shadowRoot?.querySelectorAll<HTMLInputElement>('input[type="radio"]') ?? [];
    expect([...radios].map((r) => r.value)).to.deep.equal(['alipay', 'wxpay']);
    expect(radios[0]?.checked).to.equal(true);
    expect(part(el, 'button')?.textContent?.trim()).to.equal('Pay CN¥99.00');
  });

  it('is accessible', async () => {
    backend = fakeBackend({});
    const el = await mount();
    await expect(el).to.be.accessible();
  });

  it('follows a change of the document language, as a page language switcher makes', async () => {
    backend = fakeBackend({});
    const before = document.documentElement.getAttribute('lang');
    const el = await fixture<CashdeskCheckout>(
      html`<cashdesk-checkout amount="9900" currency="CNY" methods="alipay wxpay"></cashdesk-checkout>`,
    );
    try {
      document.documentElement.setAttribute('lang', 'zh-CN');
      await until(() => part(el, 'button')?.textContent?.trim() === '支付 ¥99.00', 1000, 'Chinese');
      document.documentElement.setAttribute('lang', 'es');
      await until(() => part(el, 'button')?.textContent?.trim().startsWith('Pagar') === true, 1000, 'Spanish');
      expect(part(el, 'button')?.textContent?.trim()).to.match(/^Pagar 99,00\sCNY$/);
    } finally {
      if (before === null) document.documentElement.removeAttribute('lang');
      else document.documentElement.setAttribute('lang', before);
    }
  });

  it('formats the amount from minor units for the currency and locale', async () => {
    backend = fakeBackend({});
    const el = await fixture<CashdeskCheckout>(
      html`<cashdesk-checkout amount="1234" currency="JPY" methods="card" lang="zh-CN"></cashdesk-checkout>`,
    );
    expect(part(el, 'amount')?.textContent).to.equal('JP¥1,234');
    el.amount = '1005';
    el.currency = 'KWD';
    await el.updateComplete;
    expect(part(el, 'amount')?.textContent).to.contain('1.005');
  });

  it('sends the create request of the contract, with the Idempotency-Key header', async () => {
    backend = fakeBackend({ create: () => json(qrAnswer), status: pending });
    const el = await mount();
    const wxpay = el.shadowRoot?.querySelectorAll<HTMLInputElement>('input[type="radio"]')[1];
    wxpay?.click();
    await payAndShowQr(el);
    const create = backend.creates[0];
    expect(create?.url.pathname).to.equal('/api/pay');
    const body = create?.body as Record<string, unknown>;
    expect(body).to.include({ orderId: 'A-1001', method: 'wxpay', returnUrl: 'https://shop.example/return' });
    expect(body.client).to.deep.equal({ type: 'pc', os: 'other', inApp: null });
    expect(body.idempotencyKey).to.be.a('string').and.have.length.greaterThan(15);
    expect(create?.headers.get('Idempotency-Key')).to.equal(body.idempotencyKey);
  });

  it('names the wallet the QR is for, even when the gateway chose another channel than the method', async () => {
    const label = async (content: string, method: number) => {
      backend?.restore();
      backend = fakeBackend({
        create: () => json({ ...qrAnswer, response: { ...qrAnswer.response, qrcode: content } }),
        status: pending,
      });
      const el = await mount();
      el.shadowRoot?.querySelectorAll<HTMLInputElement>('input[type="radio"]')[method]?.click();
      await payAndShowQr(el);
      const qr = part(el, 'qr') as HTMLElement & { label: string };
      const text = qr.label;
      el.remove();
      return text;
    };
    // Alipay picked (the first method), a WeChat code answered: the label says WeChat.
    expect(await label('weixin://wxpay/bizpayurl?pr=04IPMKM', 0)).to.equal('Scan with WeChat Pay to pay');
    expect(await label('https://qr.alipay.com/bax03431ljhokirwl38f00a7', 1)).to.equal('Scan with Alipay to pay');
    // A code that does not say: the method picked.
    expect(await label('https://pay.example.com/pay/submitwap/1/', 1)).to.equal('Scan with WeChat Pay to pay');
  });

  it('a double click on Pay creates one payment', async () => {
    // The create's answer is held until the test releases it: the clicks all land while creating.
    const answer = deferred<Response>();
    backend = fakeBackend({ create: () => answer.promise, status: pending });
    const el = await mount();
    const button = part(el, 'button') as HTMLButtonElement;
    button.click();
    button.click();
    await el.updateComplete;
    // aria-disabled, so the button keeps the keyboard focus while the payment is prepared.
    expect(button.getAttribute('aria-disabled')).to.equal('true');
    button.click();
    answer.resolve(json(qrAnswer));
    await el.pay();
    await el.updateComplete;
    expect(stateOf(el)).to.equal('qr');
    expect(backend.creates.length).to.equal(1);
  });

  it('shows the QR of the action, then reports success once when the backend says paid', async () => {
    backend = fakeBackend({
      create: () => json(qrAnswer),
      status: (_c, n) => json({ status: n < 3 ? 'pending' : 'paid' }),
    });
    const el = await mount();
    const { events, terminal } = record(el);
    const paid = oneEvent(el, 'cashdesk-success');
    await payAndShowQr(el);
    const qr = part(el, 'qr') as HTMLElement & { content: string };
    expect(qr.tagName.toLowerCase()).to.equal('cashdesk-qr');
    expect(qr.content).to.equal('weixin://wxpay/bizpayurl?pr=04IPMKM');
    expect(events[0]).to.deep.include({ type: 'cashdesk-action' });
    await paid;
    await el.updateComplete;
    expect(stateOf(el)).to.equal('paid');
    // Nothing more can come: the payment is no longer followed (a return to the page asks nothing),
    // and `paid` ignores any answer (test/flow/next.test.ts).
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    window.dispatchEvent(new Event('online'));
    expect(backend.pending(), 'no check in flight').to.equal(0);
    expect(terminal()).to.deep.equal([
      { type: 'cashdesk-success', detail: { orderId: 'A-1001', reference: '2020080615134334901' } },
    ]);
    expect(backend.statuses.length).to.equal(3);
    expect(backend.statuses[0]?.url.searchParams.get('orderId')).to.equal('A-1001');
    expect(liveText(el)).to.equal('Payment received. Thank you!');
  });

  it('a failing or malformed status answer never fails the payment: it says so and keeps checking', async () => {
    const faults: Reply[] = [
      json({ error: 'boom' }, 500),
      htmlBody('<html><body>502 Bad Gateway</body></html>', 502),
      new Response('{"status":', { headers: { 'content-type': 'application/json' } }),
      json({ state: 'paid' }),
      new TypeError('Failed to fetch'),
    ];
    backend = fakeBackend({
      create: () => json(qrAnswer),
      status: (_c, n) => faults[n - 1] ?? json({ status: 'paid' }),
    });
    const el = await mount();
    const { terminal } = record(el);
    await payAndShowQr(el);
    await until(() => liveText(el).includes('still checking'), 3000, 'the still-checking notice');
    expect(stateOf(el)).to.equal('qr');
    await until(() => stateOf(el) === 'paid', 5000, 'paid');
    expect(terminal().map((e) => e.type)).to.deep.equal(['cashdesk-success']);
  });

  it('a 4xx from the status endpoint warns the developer once; the shopper still sees "still checking"', async () => {
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      // A network error first: the 404s after it are still reported, once.
      backend = fakeBackend({
        create: () => json(qrAnswer),
        status: (_c, n) => (n === 1 ? new TypeError('Failed to fetch') : json({ error: 'no such order' }, 404)),
      });
      const el = await mount();
      const { terminal } = record(el);
      await payAndShowQr(el);
      await until(() => backend!.statuses.length >= 4, 3000, 'four status checks');
      expect(liveText(el)).to.include('still checking');
      expect(stateOf(el)).to.equal('qr');
      expect(warnings.map((args) => args[0])).to.deep.equal([
        'cashdesk: the status endpoint answered 404 for order A-1001',
      ]);
      expect(terminal()).to.deep.equal([]);
      el.remove();
    } finally {
      console.warn = warn;
    }
  });

  it('"I have paid" going away with the trouble: focus moves to the message, not the page', async () => {
    let answer = 0;
    backend = fakeBackend({
      create: () => json(qrAnswer),
      // Trouble first (the buttons appear), then a calm "pending" (they go).
      status: () => (answer++ < 1 ? json({ error: 'boom' }, 500) : pending()),
    });
    const el = await mount();
    el.pollSchedule = { ...fast, first: 10, errorCap: 400, interval: 400, cap: 400 };
    await payAndShowQr(el);
    await until(() => part(el, 'check') !== null, 3000, 'the "I have paid" button');
    part(el, 'check')?.focus();
    await until(() => part(el, 'check') === null, 3000, 'the trouble over');
    await el.updateComplete;
    expect(el.shadowRoot?.activeElement?.getAttribute('part') ?? String(document.activeElement?.tagName)).to.equal(
      'message',
    );
    el.remove();
  });

  it('never takes the focus from the page: an input focused while the payment is prepared keeps it', async () => {
    const input = document.createElement('input');
    document.body.append(input);
    let release: () => void = () => {};
    backend = fakeBackend({
      create: () => new Promise<Response>((resolve) => (release = () => resolve(json(qrAnswer)))),
      status: pending,
    });
    try {
      const el = await mount();
      part(el, 'button')?.click();
      await until(() => stateOf(el) === 'creating');
      input.focus();
      release();
      await until(() => stateOf(el) === 'qr');
      await el.updateComplete;
      expect(document.activeElement === input, 'the input keeps the focus').to.equal(true);
      el.remove();
    } finally {
      input.remove();
    }
  });

  it('a gateway failure is said in the page language, its own words a detail; another method is offered', async () => {
    backend = fakeBackend({
      create: () => json({ gateway: 'epay', response: { code: -1, msg: '最大支付金额是500元' } }),
    });
    const el = await mount();
    const { terminal } = record(el);
    // As a keyboard user pays: the button has the focus.
    part(el, 'button')?.focus();
    part(el, 'button')?.click();
    await el.pay();
    await el.updateComplete;
    expect(stateOf(el)).to.equal('failed');
    expect(terminal()).to.deep.equal([
      {
        type: 'cashdesk-failure',
        detail: { orderId: 'A-1001', code: '-1', message: '最大支付金额是500元', reason: 'limit_exceeded' },
      },
    ]);
    expect(part(el, 'message')?.textContent?.trim()).to.equal(
      'This amount is over the limit of this payment method. Choose another method.',
    );
    expect(part(el, 'detail')?.textContent).to.contain('最大支付金额是500元');
    // The same amount would be over the same limit: no "Try again", the methods instead.
    expect(part(el, 'retry')).to.equal(null);
    expect(el.shadowRoot?.activeElement?.getAttribute('part'), 'focus on the way forward').to.equal('back');
    part(el, 'back')?.click();
    await el.updateComplete;
    expect(stateOf(el)).to.equal('idle');
    expect(part(el, 'button')).to.exist;
  });

  it('a backend that says failed ends the payment once, with its code and message', async () => {
    backend = fakeBackend({
      create: () => json(qrAnswer),
      status: () => json({ status: 'failed', code: 'USER_BALANCE_NOT_ENOUGH', message: 'Saldo insuficiente' }),
    });
    const el = await mount();
    const { terminal } = record(el);
    const failed = oneEvent(el, 'cashdesk-failure');
    await payAndShowQr(el);
    await failed;
    await el.updateComplete;
    expect(stateOf(el)).to.equal('failed');
    // Nothing more comes: the payment is no longer followed, so a return to the page asks nothing.
    const asked = backend.statuses.length;
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    window.dispatchEvent(new Event('online'));
    expect(backend.statuses.length).to.equal(asked);
    expect(backend.pending()).to.equal(0);
    expect(terminal()).to.have.length(1);
    expect(terminal()[0]?.detail).to.deep.equal({
      orderId: 'A-1001',
      code: 'USER_BALANCE_NOT_ENOUGH',
      message: 'Saldo insuficiente',
      reason: 'insufficient_funds',
      status: 'failed',
    });
  });

  it('a create lost on the network is retried with the same idempotency key, and Retry keeps it', async () => {
    let online = false;
    backend = fakeBackend({
      create: () => (online ? json(qrAnswer) : new TypeError('Failed to fetch')),
      status: pending,
    });
    const el = await mount();
    const { events } = record(el);
    part(el, 'button')?.click();
    await el.pay();
    await el.updateComplete;
    expect(stateOf(el)).to.equal('error');
    expect(events.filter((e) => e.type === 'cashdesk-error')).to.have.length(1);
    expect((events.find((e) => e.type === 'cashdesk-error')?.detail as { code: string } | undefined)?.code).to.equal(
      'network',
    );
    expect(liveText(el)).to.contain('Your order is kept');
    const keys = new Set(backend.creates.map((c) => (c.body as { idempotencyKey: string }).idempotencyKey));
    expect(backend.creates.length).to.equal(3);
    expect(keys.size).to.equal(1);
    online = true;
    part(el, 'retry')?.click();
    await el.pay();
    expect(stateOf(el)).to.equal('qr');
    expect((backend.creates[3]?.body as { idempotencyKey: string } | undefined)?.idempotencyKey).to.equal([...keys][0]);
  });

  it("counts a QR's time on the backend's clock when the device's clock is 10 minutes ahead", async () => {
    const tenMinutes = 10 * 60_000;
    // A whole second: the Date header carries no milliseconds.
    const backendNow = Math.floor((Date.now() - tenMinutes) / 1000) * 1000;
    backend = fakeBackend({
      create: () =>
        new Response(
          JSON.stringify({
            gateway: 'test-expiring',
            response: { expiresAt: new Date(backendNow + 5 * 60_000).toISOString() },
          }),
          { headers: { 'content-type': 'application/json', date: new Date(backendNow).toUTCString() } },
        ),
      status: pending,
    });
    const el = await mount();
    const { terminal } = record(el);
    await payAndShowQr(el);
    // On the device's own clock the code ran out 5 minutes ago; on the backend's it has 5 left:
    // the deadline the flow keeps (and the QR counts down to) is 5 minutes away, so nothing expires.
    const qr = part(el, 'qr') as HTMLElement & { updateComplete: Promise<unknown>; expiresAt: number };
    const left = qr.expiresAt - Date.now();
    expect(left).to.be.within(5 * 60_000 - 15_000, 5 * 60_000);
    expect(stateOf(el)).to.equal('qr');
    await qr.updateComplete;
    expect(qr.shadowRoot?.textContent).to.match(/Expires in (5:00|4:5\d)/);
    expect(terminal()).to.deep.equal([]);
    el.remove();
  });

  it('an expired QR offers a new code, which is a new attempt with a new idempotency key', async () => {
    backend = fakeBackend({
      create: () =>
        json({ gateway: 'test-expiring', response: { expiresAt: new Date(Date.now() + 150).toISOString() } }),
      status: pending,
    });
    const el = await mount();
    const { terminal } = record(el);
    await payAndShowQr(el);
    await until(() => stateOf(el) === 'expired', 3000, 'expiry');
    await el.updateComplete;
    expect(terminal().map((e) => e.type)).to.deep.equal(['cashdesk-expired']);
    expect(liveText(el)).to.equal('This payment code has expired.');
    part(el, 'retry')?.click();
    await until(() => backend!.creates.length === 2);
    const [first, second] = backend.creates.map((c) => (c.body as { idempotencyKey: string }).idempotencyKey);
    expect(second).to.not.equal(first);
    expect(backend.creates[1]?.headers.get('Idempotency-Key')).to.equal(second);
  });

  it('pauses polling while the tab is hidden and checks at once when it is visible again', async () => {
    backend = fakeBackend({ create: () => json(qrAnswer), status: pending });
    const el = await mount();
    await payAndShowQr(el);
    await until(() => backend!.statuses.length >= 2);
    setVisibility('hidden');
    // A check in flight when the tab was hidden is answered; nothing is sent after it.
    await Promise.all(backend.statuses.map((call) => call.settled));
    const hiddenAt = backend.statuses.length;
    // Kept: "no request while hidden" is the absence of a timer's request, which only time can show
    // (ten intervals of 20 ms here).
    await sleep(200);
    expect(backend.statuses.length).to.equal(hiddenAt);
    setVisibility('visible');
    expect(backend.statuses.length, 'a check at once on visible').to.equal(hiddenAt + 1);
    el.remove();
  });

  it('checks at once on pageshow (back from the wallet app, or from the back-forward cache)', async () => {
    backend = fakeBackend({ create: () => json(qrAnswer), status: pending });
    const el = await mount();
    el.pollSchedule = { ...fast, first: 10, interval: 60_000, cap: 60_000 };
    const answered = nextStatus(el, { status: 'pending' });
    await payAndShowQr(el);
    await answered;
    expect(backend.statuses.length).to.equal(1);
    const again = nextStatus(el, { status: 'pending' });
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    expect(backend.statuses.length, 'a check at once on pageshow').to.equal(2);
    // One check per return, not one from the element and one from its poller: a second one asked
    // while the first was in flight would be sent as soon as the first is answered.
    await again;
    expect(backend.statuses.length).to.equal(2);
    el.remove();
  });

  it('removing the element mid-payment stops every request and timer', async () => {
    backend = fakeBackend({ create: () => json(qrAnswer), status: () => 'hang' });
    const el = await mount();
    await payAndShowQr(el);
    await until(() => backend!.pending() === 1, 1000, 'a status call in flight');
    const signal = backend.statuses[0]?.signal;
    el.remove();
    expect(signal?.aborted).to.equal(true);
    await backend.statuses[0]?.settled;
    expect(backend.pending()).to.equal(0);
    // The poller is stopped, so neither its timer nor a return to the page sends anything: a running
    // poller checks at once on pageshow and online.
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    window.dispatchEvent(new Event('online'));
    expect(backend.statuses.length).to.equal(1);
  });

  it('removing the element while the create is in flight aborts it', async () => {
    backend = fakeBackend({ create: () => 'hang' });
    const el = await mount();
    part(el, 'button')?.click();
    await until(() => backend!.pending() === 1);
    el.remove();
    expect(backend.creates[0]?.signal?.aborted).to.equal(true);
    await backend.creates[0]?.settled;
    expect(backend.pending()).to.equal(0);
  });

  it('moved while the create is in flight: the create is sent again with the same key, and the payment goes on', async () => {
    backend = fakeBackend({ create: (_c, n) => (n === 1 ? 'hang' : json(qrAnswer)), status: pending });
    const el = await mount();
    part(el, 'button')?.click();
    await until(() => backend!.pending() === 1);
    const elsewhere = document.createElement('div');
    el.parentElement?.append(elsewhere);
    elsewhere.append(el);
    await until(() => stateOf(el) === 'qr', 3000, 'the QR after the move');
    const keys = backend.creates.map((c) => c.headers.get('Idempotency-Key'));
    expect(keys).to.have.length(2);
    expect(keys[1]).to.equal(keys[0]);
    el.remove();
  });

  it('a reload in the middle of paying sends the same idempotency key again (no second payment)', async () => {
    backend = fakeBackend({ create: () => 'hang', status: pending });
    const first = await mount();
    part(first, 'button')?.click();
    await until(() => backend!.pending() === 1);
    // The page goes away with the answer lost; a new page mounts the same order.
    first.remove();
    const second = await mount();
    void second.pay();
    await until(() => backend!.creates.length === 2);
    const [a, b] = backend.creates.map((c) => c.headers.get('Idempotency-Key'));
    expect(b).to.equal(a);
    second.remove();
  });

  it('a hostile gateway answer is refused with a typed error and a calm screen', async () => {
    backend = fakeBackend({
      create: () => json({ gateway: 'epay', response: { code: 1, payurl: ' java\tscript:alert(1)' } }),
    });
    const el = await mount();
    const { events } = record(el);
    part(el, 'button')?.click();
    await el.pay();
    await el.updateComplete;
    expect(stateOf(el)).to.equal('error');
    const error = events.find((e) => e.type === 'cashdesk-error')?.detail as { code: string };
    expect(error.code).to.equal('unsafe_url_scheme');
    expect(events.some((e) => e.type === 'cashdesk-action')).to.equal(false);
    // The same answer would be refused again: the methods are offered, not the same request.
    expect(part(el, 'back')?.textContent?.trim()).to.equal('Choose another method');
    expect(part(el, 'retry')).to.equal(null);
  });

  it('a server-rendered payload is shown without a create call', async () => {
    backend = fakeBackend({ status: pending });
    const el = await mount();
    el.payload = qrAnswer;
    await el.updateComplete;
    expect(stateOf(el)).to.equal('qr');
    expect(backend.creates.length).to.equal(0);
    el.remove();
  });

  it('a cancelled cashdesk-action lets the merchant perform it, and the payment is still followed', async () => {
    backend = fakeBackend({
      create: () => json(qrAnswer),
      status: (_c, n) => json({ status: n < 2 ? 'pending' : 'paid' }),
    });
    const el = await mount();
    const { terminal } = record(el);
    el.addEventListener('cashdesk-action', (event) => event.preventDefault());
    const paid = oneEvent(el, 'cashdesk-success');
    part(el, 'button')?.click();
    await paid;
    await el.updateComplete;
    expect(stateOf(el)).to.equal('paid');
    expect(part(el, 'qr')).to.equal(null);
    expect(terminal().map((e) => e.type)).to.deep.equal(['cashdesk-success']);
  });

  it('events bubble out of shadow roots', async () => {
    backend = fakeBackend({ create: () => json({ gateway: 'epay', response: { code: -2, msg: 'x' } }) });
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const root = host.attachShadow({ mode: 'open' });
    const el = document.createElement('cashdesk-checkout');
    Object.assign(el, { endpoint: '/api/pay', orderId: 'A-2', methods: 'alipay' });
    root.append(el);
    const seen: string[] = [];
    document.addEventListener(
      'cashdesk-failure',
      (e) => seen.push((e as Event & { detail: { code: string } }).detail.code),
      {
        once: true,
      },
    );
    await el.updateComplete;
    await el.pay();
    await until(() => seen.length === 1);
    expect(seen).to.deep.equal(['-2']);
  });

  for (const lang of LOCALES) {
    it(`is accessible in every state in ${lang}`, async () => {
      let mode: 'qr' | 'fail' | 'hang' | 'network' | 'paid' = 'qr';
      backend = fakeBackend({
        create: () => {
          if (mode === 'hang') return 'hang';
          if (mode === 'network') return new TypeError('Failed to fetch');
          if (mode === 'fail') return json({ gateway: 'epay', response: { code: -1, msg: '金额不合法' } });
          return json(qrAnswer);
        },
        status: () => json({ status: mode === 'paid' ? 'paid' : 'pending' }),
      });
      const el = await mount(lang);
      await expect(el, 'idle').to.be.accessible();
      mode = 'hang';
      part(el, 'button')?.click();
      await el.updateComplete;
      expect(stateOf(el)).to.equal('creating');
      await expect(el, 'creating').to.be.accessible();
      el.reset();
      mode = 'qr';
      await payAndShowQr(el);
      await (part(el, 'qr') as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
      await expect(el, 'qr').to.be.accessible();
      const paid = oneEvent(el, 'cashdesk-success');
      mode = 'paid';
      await paid;
      await el.updateComplete;
      await expect(el, 'paid').to.be.accessible();
      el.reset();
      await el.updateComplete;
      mode = 'fail';
      part(el, 'button')?.click();
      await el.pay();
      await el.updateComplete;
      expect(stateOf(el)).to.equal('failed');
      await expect(el, 'failed').to.be.accessible();
      el.reset();
      el.payload = { gateway: 'epay', response: { code: 1, payurl: 'javascript:alert(1)' } };
      await el.updateComplete;
      expect(stateOf(el)).to.equal('error');
      await el.updateComplete;
      await expect(el, 'error').to.be.accessible();
    });
  }
});
