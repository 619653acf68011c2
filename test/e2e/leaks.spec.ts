/**
 * DESIGN.md: "Every timer, listener and poll stops when the element leaves the DOM." 1,000
 * checkouts are mounted on a plain merchant page (the script-tag build), paid (the QR drawn and
 * the status polled) and removed; afterwards no timer, no window or document listener, no
 * request in flight and no element may remain, and the JS heap after GC may grow by less than 1 MB.
 *
 * The merchant backend is answered inside the page, by the `fetch` the init script installs
 * (the backend client calls the global `fetch`), rather than with `page.route`: 1,000 rounds
 * send over 2,000 requests, and a routed request costs a round trip to the test process; here a
 * round costs the 5 ms of the first status check. It also makes "in flight" exact: a request
 * counts until the promise the client awaits has settled, and a held status answer settles only
 * when the client aborts it. The page and the bundle themselves are routed as in script-tag.spec.ts.
 *
 * Rounds vary in two ways, so that removal meets every kind of pending work:
 * - every other round the status answer is held, so the element is removed with a status request
 *   in flight (it must be aborted); in the others it is removed with the next check scheduled;
 * - every other pair of rounds the code carries an `expiresAt` (a gateway registered here), so the
 *   QR's countdown timer and the poller's deadline timer run as well.
 */
import { readFileSync } from 'node:fs';
import type { CDPSession, Page } from '@playwright/test';
import { expect, test } from './strict-csp.js';

const ORIGIN = 'http://merchant.test';
const bundle = readFileSync(new URL('../../dist/cashdesk.iife.js', import.meta.url), 'utf8');
const merchantPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Merchant</title>
<script src="/cashdesk.iife.js"></script></head><body><main id="shop"><h1>Shop</h1></main></body></html>`;

const WARM_UP_ROUNDS = 20;
const ROUNDS = 1000;
const HEAP_BUDGET = 1024 * 1024;

interface ProbeSnapshot {
  /** Timers created by page code (the harness uses the original functions) and not yet fired or cleared. */
  timers: { live: number; cashdesk: number; created: number; createdByCashdesk: number; where: string[] };
  /** Listeners on window and document now, by `window:type` / `document:type`. */
  listeners: Record<string, number>;
  /** Listeners ever added on window and document, by the same keys. */
  listenersAdded: Record<string, number>;
  /** MutationObservers observing now. */
  observers: number;
  requests: {
    inFlight: number;
    started: number;
    /** Settled with their AbortSignal aborted. */
    aborted: number;
    /** Sent for an order whose element was already removed. */
    late: number;
    live: { url: string; aborted: boolean }[];
  };
  /** cashdesk elements in the document. */
  elements: number;
  bodyChildren: number;
  sessionKeys: number;
}

interface RoundMode {
  orderId: string;
  /** Hold the status answer until the client aborts it. */
  hold: boolean;
  /** Answer the create through the registered gateway whose code expires. */
  expiring: boolean;
  creates: number;
  statusRequests: number;
}

interface LeakProbe {
  mode: RoundMode | undefined;
  snapshot(): ProbeSnapshot;
  /** The next macrotask, not clamped like a nested setTimeout (and not counted as a timer). */
  macrotask(): Promise<void>;
  /** The original setTimeout, not counted. */
  sleep(ms: number): Promise<void>;
}

interface RoundsResult {
  ms: number;
  statusRequests: number;
  heldRounds: number;
  expiringRounds: number;
}

/**
 * The page's instruments, installed before the bundle: timers, window/document listeners,
 * MutationObservers and `fetch` (which is also the fake merchant backend).
 */
function instrument(bundlePath: string): void {
  const original = {
    setTimeout: window.setTimeout.bind(window),
    clearTimeout: window.clearTimeout.bind(window),
    setInterval: window.setInterval.bind(window),
    clearInterval: window.clearInterval.bind(window),
    addEventListener: EventTarget.prototype.addEventListener,
    removeEventListener: EventTarget.prototype.removeEventListener,
    observe: MutationObserver.prototype.observe,
    disconnect: MutationObserver.prototype.disconnect,
  };

  // Timers: live until fired (a timeout) or cleared.
  const timers = new Map<number, { stack: string; cashdesk: boolean }>();
  let timersCreated = 0;
  let timersCreatedByCashdesk = 0;
  const track = (id: number) => {
    const stack = new Error().stack ?? '';
    // The first frames below this wrapper: the code that asked for the timer.
    const caller = stack.split('\n').slice(3, 6).join('\n');
    const cashdesk = caller.includes(bundlePath);
    timersCreated += 1;
    if (cashdesk) timersCreatedByCashdesk += 1;
    timers.set(id, { stack: caller, cashdesk });
  };
  window.setTimeout = ((handler: TimerHandler, timeout?: number, ...args: unknown[]) => {
    let id = 0;
    const run =
      typeof handler === 'function'
        ? (...callArgs: unknown[]) => {
            timers.delete(id);
            (handler as (...a: unknown[]) => void)(...callArgs);
          }
        : handler;
    id = original.setTimeout(run, timeout, ...args);
    track(id);
    return id;
  }) as typeof window.setTimeout;
  window.setInterval = ((handler: TimerHandler, timeout?: number, ...args: unknown[]) => {
    const id = original.setInterval(handler, timeout, ...args);
    track(id);
    return id;
  }) as typeof window.setInterval;
  window.clearTimeout = ((id?: number) => {
    if (id !== undefined) timers.delete(id);
    original.clearTimeout(id);
  }) as typeof window.clearTimeout;
  window.clearInterval = ((id?: number) => {
    if (id !== undefined) timers.delete(id);
    original.clearInterval(id);
  }) as typeof window.clearInterval;

  // Listeners on window and document, as the browser keeps them: one per (type, listener, capture).
  const listeners = new Map<string, Set<EventListenerOrEventListenerObject>>();
  const added = new Map<string, number>();
  const nameOf = (target: EventTarget): string | undefined =>
    target === window ? 'window' : target === document ? 'document' : undefined;
  const captureOf = (options?: boolean | EventListenerOptions) =>
    typeof options === 'boolean' ? options : Boolean(options?.capture);
  EventTarget.prototype.addEventListener = function (
    this: EventTarget,
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ) {
    original.addEventListener.call(this, type, listener, options);
    const where = nameOf(this);
    if (where === undefined || listener === null) return;
    if (typeof options === 'object' && options.signal?.aborted) return;
    const key = `${where}:${type}`;
    const capture = captureOf(options);
    const setKey = `${key}:${capture}`;
    const set = listeners.get(setKey) ?? new Set();
    listeners.set(setKey, set);
    if (set.has(listener)) return;
    set.add(listener);
    added.set(key, (added.get(key) ?? 0) + 1);
    if (typeof options === 'object' && options.once) {
      original.addEventListener.call(this, type, () => set.delete(listener), { once: true, capture });
    }
    if (typeof options === 'object' && options.signal) {
      original.addEventListener.call(options.signal, 'abort', () => set.delete(listener), { once: true });
    }
  };
  EventTarget.prototype.removeEventListener = function (
    this: EventTarget,
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ) {
    original.removeEventListener.call(this, type, listener, options);
    const where = nameOf(this);
    if (where === undefined || listener === null) return;
    listeners.get(`${where}:${type}:${captureOf(options)}`)?.delete(listener);
  };

  const observers = new Set<MutationObserver>();
  MutationObserver.prototype.observe = function (this: MutationObserver, ...args) {
    observers.add(this);
    return original.observe.apply(this, args);
  };
  MutationObserver.prototype.disconnect = function (this: MutationObserver) {
    observers.delete(this);
    return original.disconnect.call(this);
  };

  const inFlight = new Set<{ url: string; signal: AbortSignal | undefined }>();
  let requestsStarted = 0;
  let requestsAborted = 0;
  let lateRequests = 0;

  const channel = new MessageChannel();
  const wakers: (() => void)[] = [];
  channel.port1.onmessage = () => wakers.shift()?.();

  const probe: LeakProbe = {
    mode: undefined,
    snapshot() {
      const byKey: Record<string, number> = {};
      for (const [setKey, set] of listeners) {
        const key = setKey.slice(0, setKey.lastIndexOf(':'));
        byKey[key] = (byKey[key] ?? 0) + set.size;
      }
      const live = [...timers.values()];
      return {
        timers: {
          live: live.length,
          cashdesk: live.filter((timer) => timer.cashdesk).length,
          created: timersCreated,
          createdByCashdesk: timersCreatedByCashdesk,
          where: live.slice(0, 5).map((timer) => timer.stack),
        },
        listeners: byKey,
        listenersAdded: Object.fromEntries(added),
        observers: observers.size,
        requests: {
          inFlight: inFlight.size,
          started: requestsStarted,
          aborted: requestsAborted,
          late: lateRequests,
          live: [...inFlight].map((request) => ({ url: request.url, aborted: request.signal?.aborted ?? false })),
        },
        elements: document.querySelectorAll('cashdesk-checkout, cashdesk-qr').length,
        bodyChildren: document.body.children.length,
        sessionKeys: sessionStorage.length,
      };
    },
    macrotask() {
      return new Promise((resolve) => {
        wakers.push(resolve);
        channel.port2.postMessage(0);
      });
    },
    sleep(ms) {
      return new Promise((resolve) => original.setTimeout(resolve, ms));
    },
  };
  (window as unknown as { __leakProbe: LeakProbe }).__leakProbe = probe;

  // The merchant backend: create answers an epay QR, status answers pending (or holds on).
  let payments = 0;
  const json = (body: unknown) =>
    new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  const backend = (url: URL, init: RequestInit | undefined): Promise<Response> => {
    const mode = probe.mode;
    if (url.pathname === '/api/pay') {
      const { orderId } = JSON.parse(String(init?.body)) as { orderId: string };
      if (mode?.orderId !== orderId) lateRequests += 1;
      else mode.creates += 1;
      payments += 1;
      const response = { code: 1, trade_no: `2024${payments}`, qrcode: `weixin://wxpay/bizpayurl?pr=${payments}` };
      return Promise.resolve(json({ gateway: mode?.expiring ? 'leak-expiring' : 'epay', response }));
    }
    if (url.pathname === '/api/status') {
      if (mode?.orderId !== url.searchParams.get('orderId')) {
        lateRequests += 1;
        return Promise.resolve(json({ status: 'pending' }));
      }
      mode.statusRequests += 1;
      if (!mode.hold) return Promise.resolve(json({ status: 'pending' }));
      // Held until the client gives up on it: only an abort settles it.
      return new Promise((_resolve, reject) => {
        const signal = init?.signal;
        const abort = () => reject(signal?.reason ?? new DOMException('aborted', 'AbortError'));
        if (signal?.aborted) abort();
        else signal?.addEventListener('abort', abort, { once: true });
      });
    }
    return Promise.resolve(new Response('not found', { status: 404 }));
  };

  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    const request = { url: `${url.pathname}${url.search}`, signal: init?.signal ?? undefined };
    requestsStarted += 1;
    inFlight.add(request);
    const answer = backend(url, init);
    const settled = () => {
      inFlight.delete(request);
      if (request.signal?.aborted) requestsAborted += 1;
    };
    answer.then(settled, settled);
    return answer;
  };
}

/** Mounts, pays and removes `rounds` checkouts, one after the other. Runs in the page. */
async function payAndRemove({ rounds, prefix }: { rounds: number; prefix: string }): Promise<RoundsResult> {
  const probe = (window as unknown as { __leakProbe: LeakProbe }).__leakProbe;
  type Checkout = HTMLElement & { pollSchedule?: object; updateComplete: Promise<boolean> };
  const until = async (ready: () => boolean, what: () => string) => {
    const deadline = performance.now() + 2000;
    while (!ready()) {
      if (performance.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
      await probe.macrotask();
    }
  };
  const started = performance.now();
  let statusRequests = 0;
  let heldRounds = 0;
  let expiringRounds = 0;
  for (let i = 0; i < rounds; i += 1) {
    const mode: RoundMode = {
      orderId: `${prefix}-${i}`,
      hold: i % 2 === 1,
      expiring: (i >> 1) % 2 === 1,
      creates: 0,
      statusRequests: 0,
    };
    probe.mode = mode;
    const el = document.createElement('cashdesk-checkout') as Checkout;
    el.setAttribute('endpoint', '/api/pay');
    el.setAttribute('status-endpoint', '/api/status');
    el.setAttribute('order-id', mode.orderId);
    el.setAttribute('amount', '9900');
    el.setAttribute('currency', 'CNY');
    el.setAttribute('methods', 'wxpay alipay');
    el.pollSchedule = { first: 5, interval: 10, factor: 1, cap: 10, jitter: 0 };
    document.body.append(el);
    await el.updateComplete;
    const button = el.shadowRoot?.querySelector<HTMLButtonElement>('[part~="button"]');
    if (!button) throw new Error(`round ${i}: no Pay button`);
    button.click();
    const svg = () => el.shadowRoot?.querySelector('cashdesk-qr')?.shadowRoot?.querySelector('svg[part~="qr"]');
    await until(
      () => svg() != null && mode.statusRequests >= 1,
      () =>
        `round ${i}: QR drawn ${svg() != null}, state ${el.shadowRoot?.querySelector('[part~="base"]')?.getAttribute('data-state')}, ${mode.creates} create(s), ${mode.statusRequests} status request(s)`,
    );
    if (mode.creates !== 1) throw new Error(`round ${i}: ${mode.creates} create requests`);
    statusRequests += mode.statusRequests;
    if (mode.hold) heldRounds += 1;
    if (mode.expiring) expiringRounds += 1;
    el.remove();
  }
  probe.mode = undefined;
  return { ms: performance.now() - started, statusRequests, heldRounds, expiringRounds };
}

async function settle(page: Page): Promise<ProbeSnapshot> {
  return page.evaluate(async () => {
    const probe = (window as unknown as { __leakProbe: LeakProbe }).__leakProbe;
    // Microtasks, Lit's pending updates, then ~200 ms for anything scheduled to come back.
    await probe.macrotask();
    await probe.sleep(200);
    return probe.snapshot();
  });
}

/** The JS heap in use after full garbage collections (V8 and the DOM's Oilpan heap). */
async function heapAfterGc(cdp: CDPSession): Promise<number> {
  for (let i = 0; i < 3; i += 1) await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

/** Objects alive in the page whose prototype chain holds the element class's prototype. */
async function instancesOf(cdp: CDPSession, tag: string): Promise<number> {
  const objectGroup = 'leaks-spec';
  try {
    const { result: prototype } = await cdp.send('Runtime.evaluate', {
      expression: `customElements.get(${JSON.stringify(tag)}).prototype`,
      objectGroup,
    });
    if (!prototype.objectId) throw new Error(`no prototype for ${tag}`);
    const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: prototype.objectId, objectGroup });
    if (!objects.objectId) throw new Error(`queryObjects gave no array for ${tag}`);
    const { result } = await cdp.send('Runtime.callFunctionOn', {
      objectId: objects.objectId,
      functionDeclaration: 'function () { return this.length; }',
      returnByValue: true,
      objectGroup,
    });
    return result.value as number;
  } finally {
    await cdp.send('Runtime.releaseObjectGroup', { objectGroup });
  }
}

test(`${ROUNDS} checkouts mounted, paid and removed leave no timer, listener, request, element or heap behind`, async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  const network: string[] = [];
  page.on('request', (request) => network.push(new URL(request.url()).pathname));
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/cashdesk.iife.js') return route.fulfill({ body: bundle, contentType: 'text/javascript' });
    if (path === '/') return route.fulfill({ body: merchantPage, contentType: 'text/html' });
    return route.fulfill({ status: 404, body: 'not found' });
  });
  await page.route(/^(?!http:\/\/merchant\.test\/)/, (route) => route.abort('blockedbyclient'));
  await page.addInitScript(instrument, '/cashdesk.iife.js');
  await page.goto(`${ORIGIN}/`);

  // A gateway whose codes expire, so the QR's countdown and the poller's deadline run too.
  await page.evaluate(() => {
    type Adapter = (response: unknown) => object;
    const { registerGateway } = (
      window as unknown as { Cashdesk: { registerGateway: (id: string, a: Adapter) => void } }
    ).Cashdesk;
    registerGateway('leak-expiring', (response) => {
      const { qrcode, trade_no } = response as { qrcode: string; trade_no: string };
      const expiresAt = new Date(Date.now() + 10 * 60_000).toISOString();
      return { kind: 'qr', content: qrcode, expiresAt, gateway: 'leak-expiring', reference: trade_no };
    });
  });

  const cdp = await page.context().newCDPSession(page);

  // Warm up: Lit's template caches, the lazily built schemas, compiled code.
  await page.evaluate(payAndRemove, { rounds: WARM_UP_ROUNDS, prefix: 'WARM' });
  const baseline = await settle(page);
  const heapBefore = await heapAfterGc(cdp);

  const loop = await page.evaluate(payAndRemove, { rounds: ROUNDS, prefix: 'LEAK' });
  const after = await settle(page);
  const heapAfter = await heapAfterGc(cdp);
  const checkouts = await instancesOf(cdp, 'cashdesk-checkout');
  const qrs = await instancesOf(cdp, 'cashdesk-qr');

  const growth = heapAfter - heapBefore;
  const report = {
    loopMs: Math.round(loop.ms),
    heapBeforeKB: +(heapBefore / 1024).toFixed(1),
    heapAfterKB: +(heapAfter / 1024).toFixed(1),
    heapGrowthKB: +(growth / 1024).toFixed(1),
    timers: { baseline: baseline.timers.live, after: after.timers.live, cashdesk: after.timers.cashdesk },
    timersCreatedByCashdesk: after.timers.createdByCashdesk - baseline.timers.createdByCashdesk,
    listeners: after.listeners,
    listenersAddedInLoop: Object.fromEntries(
      Object.entries(after.listenersAdded).map(([key, n]) => [key, n - (baseline.listenersAdded[key] ?? 0)]),
    ),
    observers: after.observers,
    requests: {
      inFlight: after.requests.inFlight,
      started: after.requests.started - baseline.requests.started,
      aborted: after.requests.aborted - baseline.requests.aborted,
      late: after.requests.late,
    },
    statusRequests: loop.statusRequests,
    heldRounds: loop.heldRounds,
    expiringRounds: loop.expiringRounds,
    liveInstances: { 'cashdesk-checkout': checkouts, 'cashdesk-qr': qrs },
    sessionStorageKeys: after.sessionKeys,
  };
  console.log(`leaks: ${ROUNDS} rounds in ${report.loopMs} ms; JS heap after GC grew by ${report.heapGrowthKB} KB`);
  console.log(`leaks: ${JSON.stringify(report)}`);
  test.info().annotations.push(
    {
      type: 'heap-growth',
      description: `${report.heapGrowthKB} KB (${report.heapBeforeKB} → ${report.heapAfterKB} KB)`,
    },
    { type: 'loop-duration', description: `${report.loopMs} ms for ${ROUNDS} rounds` },
    { type: 'leaks', description: JSON.stringify(report) },
  );

  // The instruments saw the work they are meant to see, so the zeros below mean something.
  expect(report.timersCreatedByCashdesk).toBeGreaterThanOrEqual(ROUNDS * 2);
  for (const key of ['window:pageshow', 'window:online', 'document:visibilitychange']) {
    expect(report.listenersAddedInLoop[key], key).toBeGreaterThanOrEqual(ROUNDS);
  }
  expect(loop.statusRequests).toBeGreaterThanOrEqual(ROUNDS);
  expect(loop.heldRounds).toBe(ROUNDS / 2);
  expect(loop.expiringRounds).toBe(ROUNDS / 2);

  // Nothing left behind.
  expect(after.timers.cashdesk, `timers still pending:\n${after.timers.where.join('\n---\n')}`).toBe(0);
  expect(after.timers.live).toBe(baseline.timers.live);
  expect(after.listeners).toEqual(baseline.listeners);
  expect(after.observers).toBe(baseline.observers);
  expect(after.requests.live).toEqual([]);
  expect(after.requests.inFlight).toBe(0);
  // Every held status request was aborted by the removal, and nothing asked after it.
  expect(report.requests.aborted).toBeGreaterThanOrEqual(loop.heldRounds);
  expect(after.requests.late).toBe(0);
  expect(after.elements).toBe(0);
  expect(after.bodyChildren).toBe(baseline.bodyChildren);
  expect(report.liveInstances).toEqual({ 'cashdesk-checkout': 0, 'cashdesk-qr': 0 });
  expect(growth).toBeLessThan(HEAP_BUDGET);

  // The instance count is not blind: an element held by the page is found.
  await page.evaluate(() => {
    (window as unknown as { held?: Element }).held = document.createElement('cashdesk-checkout');
  });
  expect(await instancesOf(cdp, 'cashdesk-checkout')).toBe(1);

  // Only the page and the bundle went over the network: the backend was answered in the page.
  expect(new Set(network)).toEqual(new Set(['/', '/cashdesk.iife.js']));
  expect(errors).toEqual([]);
});
