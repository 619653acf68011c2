// The benchmark page's code: cashdesk as a merchant page runs it, plus the bodies to classify and
// a stubbed merchant backend (window.fetch) whose create answers when the benchmark says so.
import qrcodeCore from 'qrcode/lib/core/qrcode.js';
import { drawQr, preloadQrEncoder } from '../src/core/qr.js';
import { registerBuiltinGateways } from '../src/gateways/builtin.js';
import {
  type CashdeskCheckout,
  type CashdeskQr,
  type CashdeskStatusEvent,
  DEFAULT_SCHEDULE,
  toAction,
} from '../src/index.js';
import { alipayplusSeed, careyshopSeed, epaySeed, pingppSeed, useepaySeed } from '../test/fixtures/seeds.js';
import { ALIPAY_PAGE_PAY_FORM, WECHAT_QR_IMG } from '../test/unit/gateways/fixtures/careyshop.js';
import { alipaySdkForm } from '../test/unit/gateways/fixtures/epay.js';
import { ALIPAY_WAP_MAPI, charge, envelope } from '../test/unit/gateways/fixtures/pingpp.js';
import '../src/elements/cashdesk-qr/cashdesk-qr.js';
import '../src/elements/cashdesk-checkout/cashdesk-checkout.js';

const bodies: Record<string, [string, unknown]> = {
  'pingpp wx_pub (JSON text)': ['pingpp', JSON.stringify(pingppSeed)],
  'pingpp alipay_wap (object)': ['pingpp', envelope(charge('alipay_wap', ALIPAY_WAP_MAPI))],
  'epay payurl (JSON text)': ['epay', JSON.stringify({ ...epaySeed, payurl: 'https://pay.example/pay/submit/1/' })],
  'epay html form (JSON text)': ['epay', JSON.stringify({ code: 1, trade_no: '1', html: alipaySdkForm() })],
  'careyshop app token (JSON text)': ['careyshop', JSON.stringify(careyshopSeed)],
  'careyshop web Alipay form (HTML)': ['careyshop', ALIPAY_PAGE_PAY_FORM],
  'careyshop web WeChat img (HTML)': ['careyshop', WECHAT_QR_IMG],
  'alipayplus redirection (JSON text)': [
    'alipayplus',
    JSON.stringify({
      ...alipayplusSeed,
      actionForm: { actionFormType: 'REDIRECTION', redirectionUrl: 'https://w.example/c' },
    }),
  ],
  'useepay codeUrl (JSON text)': ['useepay', JSON.stringify(useepaySeed)],
};

/** A 300-character https URL, different for each `i`. */
const qrContent = (i: number): string =>
  `https://qr.example/pay?${String(i).padStart(6, '0')}&${'x'.repeat(300)}`.slice(0, 300);

// --- The stubbed merchant backend --------------------------------------------------------------

const CREATE_URL = 'https://bench.test/api/create';
const STATUS_URL = 'https://bench.test/api/status';
const json = (value: unknown): Response =>
  new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json' } });

/** Status requests that reached fetch, per order id. */
const statusRequests = new Map<string, number>();
/** When (Date.now(), virtual under Playwright's clock) the last status request of an order reached fetch. */
const lastStatusRequestAt = new Map<string, number>();
/** The next create call: the benchmark decides when its answer arrives. */
let onCreate: ((answer: (response: Response) => void) => void) | undefined;

window.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = new URL(input instanceof Request ? input.url : String(input), location.href);
  if (`${url.origin}${url.pathname}` === STATUS_URL && (init?.method ?? 'GET') === 'GET') {
    const orderId = url.searchParams.get('orderId') ?? '';
    statusRequests.set(orderId, (statusRequests.get(orderId) ?? 0) + 1);
    lastStatusRequestAt.set(orderId, Date.now());
    // Answers at once: "pending", so the poller keeps to its schedule. The body is handed over
    // without a task: Chromium reads even an in-memory body in tasks of its own, and Playwright's
    // clock lets only one task run after each timer, so a later timer (another QR's, or this
    // request's own 10 s time-out) could fire first and skip virtual time ahead of the answer.
    const body = JSON.stringify({ status: 'pending' });
    const response = new Response(body, { headers: { 'content-type': 'application/json' } });
    Object.defineProperty(response, 'text', { value: () => Promise.resolve(body) });
    return Promise.resolve(response);
  }
  if (url.href === CREATE_URL && init?.method === 'POST') {
    const waiting = onCreate;
    onCreate = undefined;
    if (waiting === undefined) return Promise.reject(new TypeError('bench: unexpected create'));
    return new Promise((resolve) => waiting(resolve));
  }
  return Promise.reject(new TypeError(`bench: no stub for ${url.href}`));
};

const nextFrame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));

function checkout(orderId: string): CashdeskCheckout {
  const el = document.createElement('cashdesk-checkout');
  el.endpoint = CREATE_URL;
  el.statusEndpoint = STATUS_URL;
  el.orderId = orderId;
  el.amount = '9900';
  el.currency = 'CNY';
  el.methods = 'alipay';
  return el;
}

/** The `<cashdesk-qr>` inside, once it has rendered its `<svg>`; throws if there is none. */
async function renderedQr(el: CashdeskCheckout): Promise<SVGSVGElement> {
  await el.updateComplete;
  const qr = el.shadowRoot?.querySelector<CashdeskQr>('cashdesk-qr');
  if (!qr) throw new Error('bench: no <cashdesk-qr> in the checkout');
  await qr.updateComplete;
  const svg = qr.shadowRoot?.querySelector('svg');
  if (!svg) throw new Error('bench: no QR <svg> in <cashdesk-qr>');
  return svg;
}

let paintRun = 0;

/**
 * Create answer → QR painted. A checkout is mounted, Pay is pressed, the create request reaches
 * fetch and is held; two frames later (an idle page) t0 is taken and the answer is released.
 * `dom`: the QR's `<svg>` is in both shadow roots and the layout is flushed. `painted`: two
 * `requestAnimationFrame`s later, i.e. the frame holding the QR went out. The element is removed.
 */
async function createToQr(): Promise<{ dom: number; painted: number }> {
  paintRun += 1;
  const el = checkout(`paint-${paintRun}`);
  document.body.append(el);
  await el.updateComplete;
  const created = new Promise<(response: Response) => void>((resolve) => {
    onCreate = resolve;
  });
  void el.pay();
  const answer = await created;
  await nextFrame();
  await nextFrame();
  const settled = new Promise<string>((resolve) => {
    const listener = (event: Event): void => {
      const { state } = (event as CashdeskStatusEvent).detail;
      if (state === 'creating') return;
      el.removeEventListener('cashdesk-status', listener);
      resolve(state);
    };
    el.addEventListener('cashdesk-status', listener);
  });
  const t0 = performance.now();
  answer(json({ gateway: 'epay', response: { code: 1, trade_no: String(paintRun), qrcode: qrContent(paintRun) } }));
  const state = await settled;
  if (state !== 'qr') throw new Error(`bench: the checkout went to "${state}", not "qr"`);
  const svg = await renderedQr(el);
  svg.getBoundingClientRect();
  const dom = performance.now() - t0;
  await nextFrame();
  await nextFrame();
  const painted = performance.now() - t0;
  el.remove();
  return { dom, painted };
}

// --- Status polling (run under Playwright's virtual clock) ----------------------------------------

const polling: { el: CashdeskCheckout; orderId: string; answers: number; lag: number }[] = [];
let pollBatch = 0;

/** Makes the page look hidden (or visible again) to the document's readers, and says so. */
function setHidden(hidden: boolean): void {
  const state: DocumentVisibilityState = hidden ? 'hidden' : 'visible';
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event('visibilitychange'));
}

/**
 * Mounts `count` checkouts showing a server-rendered epay QR (no create call), with the element's
 * default poll schedule, and waits until each QR's `<svg>` is rendered. The status requests of
 * each are counted where they reach fetch.
 */
async function mountQrs(count: number): Promise<void> {
  pollBatch += 1;
  for (let i = 0; i < count; i += 1) {
    const orderId = `poll-${pollBatch}-${i}`;
    const el = checkout(orderId);
    const entry = { el, orderId, answers: 0, lag: 0 };
    // Every answer the element handled comes back as a cashdesk-status event with a status. The
    // stub answers at once, so no virtual time may pass in between: if it does, the clock jumped
    // to a later timer (the backend's time-out) while an answer was still on its way.
    el.addEventListener('cashdesk-status', (event) => {
      if ((event as CashdeskStatusEvent).detail.status === undefined) return;
      entry.answers += 1;
      entry.lag = Math.max(entry.lag, Date.now() - (lastStatusRequestAt.get(orderId) ?? Number.NaN));
    });
    el.payload = { gateway: 'epay', response: { code: 1, trade_no: orderId, qrcode: qrContent(i) } };
    document.body.append(el);
    polling.push(entry);
  }
  await Promise.all(polling.map(({ el }) => renderedQr(el)));
}

/**
 * Per element: requests that reached fetch, answers it handled, and
 * the most virtual time that passed between a request and its answer (0 expected).
 */
function pollCounts(): { fetched: number; answered: number; lag: number }[] {
  return polling.map(({ orderId, answers, lag }) => ({
    fetched: statusRequests.get(orderId) ?? 0,
    answered: answers,
    lag,
  }));
}

function unmountQrs(): void {
  for (const { el } of polling.splice(0)) el.remove();
}

/** What DEFAULT_SCHEDULE sends in `ms`, without jitter, every answer "pending" and instant. */
function scheduledRequests(ms: number): number {
  const { first, interval, factor, cap } = DEFAULT_SCHEDULE;
  let count = 0;
  let delay = interval;
  for (let t = first; t <= ms; t += delay) {
    count += 1;
    delay = Math.min(delay * factor, cap);
  }
  return count;
}

// Measured as the script-tag build has them: every adapter in the page from the start.
registerBuiltinGateways();

const bench = {
  toAction,
  /** The `qrcode` package's encoder, the reference; cashdesk's own encoder beside it. */
  qrcodeEncode: qrcodeCore.create,
  drawQr,
  preloadQrEncoder,
  bodies,
  qrContent,
  createToQr,
  setHidden,
  mountQrs,
  pollCounts,
  unmountQrs,
  scheduledRequests,
};

declare global {
  interface Window {
    bench: typeof bench;
  }
}

Object.assign(window, { bench });
