/**
 * The fault matrix, end to end: every way the create call and the status call can go wrong
 * (a 500, a 502 with a proxy's HTML page, a time-out, the network offline and back, a malformed
 * body, a body of the wrong shape, a 10-second delay) injected with request interception between
 * the production gallery and the real sandbox backend. For each one: what the shopper sees stays
 * calm and localized, the backend holds exactly one payment (one idempotency key, Retry included),
 * nothing is ever reported failed because a call failed, and once the fault clears the payment
 * ends in exactly one success. Then the shopper's and the page's own mishaps: a double tap on Pay,
 * Pay during a status check, the element removed mid-payment, two widgets on one page, and the
 * script-tag build loaded twice.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page, Route } from '@playwright/test';
import { CONTENT_SECURITY_POLICY } from '../../demo/csp.js';
import { expect, test } from './strict-csp.js';

test.describe.configure({ mode: 'parallel' });

/** The gallery with an epay WeChat QR order, created and mounted at load (see demo/gallery.ts). */
const gallery = (lang = 'en') =>
  `/?gateway=epay&scenario=qrcode&env=desktop&method=wxpay&lang=${lang}&amount=9900&currency=CNY&autostart=1`;

/** A quick status schedule, so a failing backend is asked again within a second, not 30 s. */
const FAST_POLL = { first: 200, interval: 300, factor: 1, cap: 300, errorCap: 600, jitter: 0 };

const EN = {
  creating: 'Preparing your payment…',
  waiting: 'Waiting for your payment…',
  stillChecking: 'The connection is unstable. Your payment is safe; still checking…',
  paid: 'Payment received. Thank you!',
  error: 'Something went wrong. Your order is kept; you can try again.',
  retry: 'Retry',
  qr: 'Payment QR code',
};

const TERMINAL = ['cashdesk-success', 'cashdesk-failure', 'cashdesk-expired'];
const RECORDED = [...TERMINAL, 'cashdesk-error', 'cashdesk-status', 'cashdesk-action'];

/** One event as the page heard it at the window. */
interface Heard {
  type: string;
  orderId: string;
  /** The `order-id` of the element the event came from (retargeted to the host). */
  host: string | null;
  state?: string;
  code?: string;
}

/** What `GET /api/orders/:id` says: the sandbox backend's own view. */
interface OrderView {
  status: string;
  creates: number;
  attempts: string[];
  log: string[];
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Records every cashdesk event at the window, from before the gallery's first script runs. */
async function recordEvents(page: Page): Promise<void> {
  await page.addInitScript((types: string[]) => {
    const heard: unknown[] = [];
    (window as unknown as { __heard: unknown[] }).__heard = heard;
    for (const type of types) {
      window.addEventListener(type, (event) => {
        const detail = ((event as CustomEvent).detail ?? {}) as Record<string, unknown>;
        const target = event.target as Element | null;
        heard.push({
          type,
          orderId: String(detail.orderId ?? ''),
          host: target?.getAttribute?.('order-id') ?? null,
          ...(typeof detail.state === 'string' ? { state: detail.state } : {}),
          ...(typeof detail.code === 'string' ? { code: detail.code } : {}),
        });
      });
    }
  }, RECORDED);
}

async function heard(page: Page): Promise<Heard[]> {
  return page.evaluate(() => (window as unknown as { __heard: Heard[] }).__heard);
}

async function backendOrder(page: Page, orderId: string): Promise<OrderView> {
  const response = await page.request.get(`/api/orders/${encodeURIComponent(orderId)}`);
  expect(response.ok()).toBe(true);
  return (await response.json()) as OrderView;
}

/** Every create request the page sent, with the key in its header and in its body. */
interface CreateCalls {
  keys: string[];
  bodyKeys: string[];
}

/**
 * Intercepts the create call. `fault(route, n)` decides what the n-th call (1-based) gets; it
 * returns false to let the call through to the sandbox.
 */
async function interceptCreate(
  page: Page,
  fault: (route: Route, n: number) => Promise<boolean> = async () => false,
): Promise<CreateCalls> {
  const calls: CreateCalls = { keys: [], bodyKeys: [] };
  await page.route('**/api/pay', async (route) => {
    const request = route.request();
    calls.keys.push(request.headers()['idempotency-key'] ?? '');
    calls.bodyKeys.push(String((request.postDataJSON() as { idempotencyKey?: unknown }).idempotencyKey));
    if (!(await fault(route, calls.keys.length))) await route.continue();
  });
  return calls;
}

/** The status call: every request counted; `fault` (while set) answers instead of the sandbox. */
interface StatusCalls {
  count: number;
  faulted: number;
  fault: ((route: Route) => Promise<void>) | undefined;
}

async function interceptStatus(page: Page): Promise<StatusCalls> {
  const calls: StatusCalls = { count: 0, faulted: 0, fault: undefined };
  await page.route('**/api/status**', async (route) => {
    calls.count += 1;
    const fault = calls.fault;
    if (!fault) return route.continue();
    calls.faulted += 1;
    return fault(route);
  });
  return calls;
}

/** The faults a response can carry, as a route answer. */
const answers = {
  http500: (route: Route) =>
    route.fulfill({ status: 500, contentType: 'text/plain; charset=utf-8', body: 'Internal Server Error' }),
  html502: (route: Route) =>
    route.fulfill({
      status: 502,
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
    }),
  timeout: (route: Route) => route.abort('timedout'),
  malformed: (route: Route) =>
    route.fulfill({ status: 200, contentType: 'application/json; charset=utf-8', body: '{"status": "pend' }),
  statusWrongShape: (route: Route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ state: 'paid' }) }),
  createWrongShape: (route: Route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{}' }),
};

/** Opens the gallery, waits for the checkout, and makes its status polling quick. */
async function openCheckout(page: Page, lang = 'en'): Promise<{ checkout: Locator; orderId: string }> {
  await page.goto(gallery(lang));
  const checkout = page.locator('cashdesk-checkout');
  await expect(checkout.locator('[part~="button"]')).toBeEnabled();
  await page.evaluate((schedule) => {
    const element = document.querySelector('cashdesk-checkout');
    if (element) element.pollSchedule = schedule;
  }, FAST_POLL);
  const orderId = (await page.locator('#order-id').textContent())?.trim() ?? '';
  expect(orderId).toMatch(/^SBX/);
  return { checkout, orderId };
}

const payButton = (checkout: Locator) => checkout.getByRole('button', { name: /^Pay/ });
const qrImage = (checkout: Locator) => checkout.getByRole('img', { name: EN.qr });
const message = (checkout: Locator) => checkout.locator('[part~="message"]');
const liveRegion = (checkout: Locator) => checkout.locator('[role="status"][aria-live="polite"]').last();
const state = (checkout: Locator) => checkout.locator('[part~="base"][data-state]').first().getAttribute('data-state');

/** What the shopper sees while the status call is failing: the QR, and a calm "still checking". */
async function expectStillChecking(checkout: Locator, stillChecking = EN.stillChecking): Promise<void> {
  await expect(message(checkout)).toHaveText(stillChecking);
  await expect(liveRegion(checkout)).toHaveText(stillChecking);
  await expect(qrImage(checkout)).toBeVisible();
  expect(await state(checkout)).toBe('qr');
  await expect(payButton(checkout)).toHaveCount(0);
}

/** The create error state: the order kept (said once, in the message), a Retry, no spinner, nothing "failed". */
async function expectKeptWithRetry(checkout: Locator): Promise<void> {
  await expect(message(checkout)).toHaveText(EN.error);
  // Once on screen and once in the live region: no second notice beside the message.
  await expect(checkout.getByText(/Your order is kept/)).toHaveCount(2);
  await expect(liveRegion(checkout)).toHaveText(EN.error);
  await expect(checkout.getByRole('button', { name: EN.retry })).toBeEnabled();
  await expect(checkout.locator('.spinner')).toHaveCount(0);
  expect(await state(checkout)).toBe('error');
}

/** Nothing ever said "failed" (no failure event, no failed state), in our record or the gallery's log. */
async function expectNeverFailed(page: Page): Promise<void> {
  const events = await heard(page);
  expect(events.filter((e) => e.type === 'cashdesk-failure' || e.type === 'cashdesk-expired')).toEqual([]);
  expect(events.filter((e) => e.type === 'cashdesk-status' && e.state === 'failed')).toEqual([]);
  await expect(page.locator('#log li', { hasText: 'cashdesk-failure' })).toHaveCount(0);
}

/** The shopper scans; the page hears exactly one success and nothing terminal after it. */
async function scanAndExpectPaidOnce(page: Page, checkout: Locator, orderId: string): Promise<void> {
  await page.getByRole('button', { name: 'Simulate scan' }).click();
  await expectPaidOnce(page, checkout, orderId);
}

async function expectPaidOnce(page: Page, checkout: Locator, orderId: string): Promise<void> {
  await expect(message(checkout)).toHaveText(EN.paid, { timeout: 15_000 });
  // Room for a stray second verdict (a late poll) to show up before counting.
  await page.waitForTimeout(400);
  const events = (await heard(page)).filter((e) => e.orderId === orderId);
  const verdicts = events.filter((e) => TERMINAL.includes(e.type) || e.type === 'cashdesk-error');
  const success = verdicts.findIndex((e) => e.type === 'cashdesk-success');
  expect(verdicts.filter((e) => e.type === 'cashdesk-success')).toHaveLength(1);
  expect(verdicts.slice(success + 1)).toEqual([]);
  await expect(page.locator('#log li', { hasText: 'cashdesk-success' })).toHaveCount(1);
  await expectNeverFailed(page);
  const order = await backendOrder(page, orderId);
  expect(order.status).toBe('paid');
  expect(order.attempts).toHaveLength(1);
}

function expectOneKey(calls: CreateCalls, count: number): void {
  expect(calls.keys).toHaveLength(count);
  expect(calls.keys[0]).toMatch(/\S{16,}/);
  expect(new Set([...calls.keys, ...calls.bodyKeys])).toEqual(new Set([calls.keys[0]]));
}

test.afterEach(async ({ page }) => {
  // Every page here is the gallery under the strict CSP, or the merchant.test page without one.
  const csp = await page
    .evaluate(() => (window as unknown as { __cspViolations?: unknown[] }).__cspViolations)
    .catch(() => undefined);
  if (csp !== undefined) expect(csp).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// The create call

test.describe('create faults', () => {
  /**
   * A fault on every automatic try (the first one and its two retries), then the fault clears
   * and the shopper presses Retry. `reaches`: the call reached the backend, which created the
   * payment, and only its answer was lost or spoiled (the harshest case for idempotency).
   */
  const persistent: {
    name: string;
    answer: (route: Route) => Promise<void>;
    reaches: boolean;
    /** Calls the widget sends on its own before it gives up: 3 for retriable faults. */
    tries: number;
  }[] = [
    { name: 'HTTP 500', answer: answers.http500, reaches: false, tries: 3 },
    {
      name: '502 with an HTML page (answer lost after the backend created it)',
      answer: answers.html502,
      reaches: true,
      tries: 3,
    },
    { name: 'timeout (answer lost after the backend created it)', answer: answers.timeout, reaches: true, tries: 3 },
    { name: 'malformed JSON body', answer: answers.malformed, reaches: true, tries: 1 },
    { name: 'wrong shape {}', answer: answers.createWrongShape, reaches: true, tries: 1 },
  ];

  for (const { name, answer, reaches, tries } of persistent) {
    const retried = tries > 1 ? 'retried twice with the same key, then' : 'not retried blindly:';
    test(`create: ${name} → ${retried} "Your order is kept" + Retry → same payment, paid once`, async ({ page }) => {
      await recordEvents(page);
      const creates = await interceptCreate(page, async (route, n) => {
        if (n > tries) return false;
        if (reaches) await route.fetch();
        await answer(route);
        return true;
      });
      const { checkout, orderId } = await openCheckout(page);
      await payButton(checkout).click();

      await expectKeptWithRetry(checkout);
      expectOneKey(creates, tries);
      const errors = (await heard(page)).filter((e) => e.type === 'cashdesk-error');
      expect(errors).toHaveLength(1);
      expect(errors[0]?.orderId).toBe(orderId);
      await expectNeverFailed(page);
      const before = await backendOrder(page, orderId);
      expect(before.creates).toBe(reaches ? tries : 0);
      expect(before.attempts).toHaveLength(reaches ? 1 : 0);
      expect(before.status).toBe('pending');

      // The fault clears; Retry sends the same key, and the backend answers with the same payment.
      await checkout.getByRole('button', { name: EN.retry }).click();
      await expect(qrImage(checkout)).toBeVisible();
      expectOneKey(creates, tries + 1);
      const after = await backendOrder(page, orderId);
      expect(after.attempts).toHaveLength(1);
      if (reaches) expect(after.attempts).toEqual(before.attempts);
      await scanAndExpectPaidOnce(page, checkout, orderId);
    });
  }

  test('create: one HTTP 500 (then fine) → retried automatically, the shopper just sees the QR, paid once', async ({
    page,
  }) => {
    await recordEvents(page);
    const creates = await interceptCreate(page, async (route, n) => {
      if (n > 1) return false;
      await answers.http500(route);
      return true;
    });
    const { checkout, orderId } = await openCheckout(page);
    await payButton(checkout).click();
    await expect(qrImage(checkout)).toBeVisible();
    await expect(message(checkout)).toHaveText(EN.waiting);
    expectOneKey(creates, 2);
    expect((await heard(page)).filter((e) => e.type === 'cashdesk-error')).toEqual([]);
    await scanAndExpectPaidOnce(page, checkout, orderId);
  });

  test('create: network offline, then back → "Your order is kept" + Retry with the same key → paid once', async ({
    page,
    context,
  }) => {
    await recordEvents(page);
    const creates = await interceptCreate(page);
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/pay')) sent.push(request.headers()['idempotency-key'] ?? '');
    });
    const { checkout, orderId } = await openCheckout(page);
    await context.setOffline(true);
    await payButton(checkout).click();
    await expectKeptWithRetry(checkout);
    await expectNeverFailed(page);
    expect((await backendOrder(page, orderId)).creates).toBe(0);

    await context.setOffline(false);
    await checkout.getByRole('button', { name: EN.retry }).click();
    await expect(qrImage(checkout)).toBeVisible();
    // The tries made while offline may never reach the route handler; the page's requests say
    // what was sent: one key throughout.
    const keys = new Set([...sent, ...creates.keys, ...creates.bodyKeys]);
    expect(keys.size).toBe(1);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    await scanAndExpectPaidOnce(page, checkout, orderId);
  });

  test('create: a 10-second delay → "Preparing your payment…" the whole time, no retry, then the QR, paid once', async ({
    page,
  }) => {
    test.slow();
    await recordEvents(page);
    const creates = await interceptCreate(page, async (route, n) => {
      if (n > 1) return false;
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      await route.continue();
      return true;
    });
    const { checkout, orderId } = await openCheckout(page);
    const started = Date.now();
    await payButton(checkout).click();
    await expect(liveRegion(checkout)).toHaveText(EN.creating);
    await page.waitForTimeout(8_000);
    // Still busy, calmly: the button says so, nothing has failed, no second call went out.
    await expect(payButton(checkout)).toHaveAttribute('aria-busy', 'true');
    await expect(liveRegion(checkout)).toHaveText(EN.creating);
    expect(await state(checkout)).toBe('creating');
    expect(creates.keys).toHaveLength(1);
    await expect(qrImage(checkout)).toBeVisible({ timeout: 8_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
    expectOneKey(creates, 1);
    expect((await heard(page)).filter((e) => e.type === 'cashdesk-error')).toEqual([]);
    await scanAndExpectPaidOnce(page, checkout, orderId);
  });
});

// ---------------------------------------------------------------------------------------------
// The status call

test.describe('status faults', () => {
  const faults: { name: string; answer: (route: Route) => Promise<void> }[] = [
    { name: 'HTTP 500', answer: answers.http500 },
    { name: '502 with an HTML page', answer: answers.html502 },
    { name: 'timeout', answer: answers.timeout },
    { name: 'malformed JSON body', answer: answers.malformed },
  ];

  for (const { name, answer } of faults) {
    test(`status: ${name} → still checking, then paid once`, async ({ page }) => {
      await recordEvents(page);
      const creates = await interceptCreate(page);
      const status = await interceptStatus(page);
      status.fault = answer;
      const { checkout, orderId } = await openCheckout(page);
      await payButton(checkout).click();
      await expect(qrImage(checkout)).toBeVisible();
      // Several failures in a row (the poller backs off to errorCap), and the shopper is reassured.
      await expect.poll(() => status.faulted, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      await expectStillChecking(checkout);
      await expectNeverFailed(page);
      expect((await heard(page)).filter((e) => e.type === 'cashdesk-error')).toEqual([]);

      status.fault = undefined;
      // The next good answer ("pending") takes the worry away.
      await expect(message(checkout)).toHaveText(EN.waiting);
      expectOneKey(creates, 1);
      await scanAndExpectPaidOnce(page, checkout, orderId);
      expect((await heard(page)).filter((e) => e.type === 'cashdesk-error')).toEqual([]);
    });
  }

  test('status: network offline, then back → still checking, asks at once when online, then paid once', async ({
    page,
    context,
  }) => {
    await recordEvents(page);
    const creates = await interceptCreate(page);
    const failed: string[] = [];
    const sentAt: number[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/status')) sentAt.push(Date.now());
    });
    page.on('requestfailed', (request) => {
      if (request.url().includes('/api/status')) failed.push(request.url());
    });
    const { checkout, orderId } = await openCheckout(page);
    // A long error back-off here (1.2 s, 2.4 s, …), so a check right after the network comes
    // back can only be the 'online' one.
    await page.evaluate(() => {
      const element = document.querySelector('cashdesk-checkout');
      if (element)
        element.pollSchedule = { first: 200, interval: 300, factor: 1, cap: 300, errorCap: 20_000, jitter: 0 };
    });
    await payButton(checkout).click();
    await expect(qrImage(checkout)).toBeVisible();
    await expect(message(checkout)).toHaveText(EN.waiting);
    await context.setOffline(true);
    await expect.poll(() => failed.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await expectStillChecking(checkout);
    await expectNeverFailed(page);
    // The third failure: the next scheduled check is 2.4 s away.
    await expect.poll(() => failed.length, { timeout: 10_000, intervals: [50] }).toBeGreaterThanOrEqual(3);

    const onlineAt = Date.now();
    await context.setOffline(false);
    // Back online: checked at once, not after the error back-off.
    await expect(message(checkout)).toHaveText(EN.waiting, { timeout: 3_000 });
    const next = sentAt.find((t) => t >= onlineAt) ?? Number.POSITIVE_INFINITY;
    expect(next - onlineAt).toBeLessThan(1_000);
    expectOneKey(creates, 1);
    await scanAndExpectPaidOnce(page, checkout, orderId);
  });

  test('status: wrong shape {"state":"paid"} → still checking, never "paid" on it, then paid once', async ({
    page,
  }) => {
    await recordEvents(page);
    const creates = await interceptCreate(page);
    const status = await interceptStatus(page);
    status.fault = answers.statusWrongShape;
    const { checkout, orderId } = await openCheckout(page);
    await payButton(checkout).click();
    await expect(qrImage(checkout)).toBeVisible();
    await expect.poll(() => status.faulted, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await expectStillChecking(checkout);

    // The shopper pays while the answers are still unreadable: no success yet, and no failure.
    await page.getByRole('button', { name: 'Simulate scan' }).click();
    await expect.poll(async () => (await backendOrder(page, orderId)).status).toBe('paid');
    const seen = status.faulted;
    await expect.poll(() => status.faulted, { timeout: 10_000 }).toBeGreaterThanOrEqual(seen + 2);
    await expectStillChecking(checkout);
    expect((await heard(page)).filter((e) => e.type === 'cashdesk-success')).toEqual([]);
    await expectNeverFailed(page);

    status.fault = undefined;
    await expectPaidOnce(page, checkout, orderId);
    expectOneKey(creates, 1);
  });

  test('status: a 10-second delay → one request at a time, the QR stays calm, then paid once', async ({ page }) => {
    test.slow();
    await recordEvents(page);
    const creates = await interceptCreate(page);
    const status = await interceptStatus(page);
    let held = 0;
    status.fault = async (route) => {
      held += 1;
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      // The client may have given up at its own 10 s limit: then there is nothing to answer.
      await route.continue().catch(() => undefined);
    };
    const { checkout, orderId } = await openCheckout(page);
    await payButton(checkout).click();
    await expect(qrImage(checkout)).toBeVisible();
    await expect.poll(() => held).toBe(1);
    status.fault = undefined;
    // The shopper pays while the backend is slow.
    await page.getByRole('button', { name: 'Simulate scan' }).click();
    await page.waitForTimeout(6_000);
    // One request in flight, never a pile-up; nothing failed; the shopper still sees the QR.
    expect(status.count).toBe(1);
    await expect(qrImage(checkout)).toBeVisible();
    expect(await state(checkout)).toBe('qr');
    await expect(message(checkout)).toHaveText(EN.waiting);
    await expectNeverFailed(page);
    // The held answer arrives (or the client times out and asks again): paid, once.
    await expectPaidOnce(page, checkout, orderId);
    expectOneKey(creates, 1);
    test.info().annotations.push({
      type: 'status held 10 s',
      description:
        status.count === 1
          ? 'the held answer reached the widget in time'
          : `the widget gave up at its 10 s limit and asked again (${status.count} requests)`,
    });
  });

  test('status: HTTP 500 in zh-CN → the localized "still checking", then paid once', async ({ page }) => {
    await recordEvents(page);
    const status = await interceptStatus(page);
    status.fault = answers.http500;
    const { checkout, orderId } = await openCheckout(page, 'zh-CN');
    await checkout.getByRole('button', { name: /^支付/ }).click();
    await expect(checkout.getByRole('img', { name: '支付二维码' })).toBeVisible();
    await expect.poll(() => status.faulted, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await expect(message(checkout)).toHaveText('网络不稳定。您的支付不会丢失，仍在查询…');
    await expect(liveRegion(checkout)).toHaveText('网络不稳定。您的支付不会丢失，仍在查询…');
    status.fault = undefined;
    await page.getByRole('button', { name: 'Simulate scan' }).click();
    await expect(message(checkout)).toHaveText('支付成功，谢谢！', { timeout: 15_000 });
    await page.waitForTimeout(700);
    const verdicts = (await heard(page)).filter((e) => TERMINAL.includes(e.type) || e.type === 'cashdesk-error');
    expect(verdicts.map((e) => [e.type, e.orderId])).toEqual([['cashdesk-success', orderId]]);
  });
});

// ---------------------------------------------------------------------------------------------
// The shopper's and the page's own mishaps

test.describe('mishaps', () => {
  test('Pay double-tapped → one create call, one payment, paid once', async ({ page }) => {
    await recordEvents(page);
    const creates = await interceptCreate(page);
    const { checkout, orderId } = await openCheckout(page);
    await payButton(checkout).dblclick();
    await expect(qrImage(checkout)).toBeVisible();
    await page.waitForTimeout(500);
    expectOneKey(creates, 1);
    expect((await backendOrder(page, orderId)).creates).toBe(1);
    await scanAndExpectPaidOnce(page, checkout, orderId);
  });

  test('Pay during a status check → the button is gone and a second create never happens', async ({ page }) => {
    await recordEvents(page);
    const creates = await interceptCreate(page);
    const status = await interceptStatus(page);
    let release: () => void = () => undefined;
    let inFlight = false;
    status.fault = async (route) => {
      inFlight = true;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      inFlight = false;
      await route.continue();
    };
    const { checkout, orderId } = await openCheckout(page);
    await payButton(checkout).click();
    await expect(qrImage(checkout)).toBeVisible();
    await expect.poll(() => inFlight).toBe(true);
    // While the check is in flight: no Pay button to tap, and pay() itself does nothing.
    await expect(payButton(checkout)).toHaveCount(0);
    await page.evaluate(async () => {
      const element = document.querySelector('cashdesk-checkout');
      await element?.pay();
      await element?.pay();
    });
    status.fault = undefined;
    release();
    await page.waitForTimeout(800);
    expectOneKey(creates, 1);
    const order = await backendOrder(page, orderId);
    expect(order.creates).toBe(1);
    expect(order.attempts).toHaveLength(1);
    await expect(qrImage(checkout)).toBeVisible();
    await scanAndExpectPaidOnce(page, checkout, orderId);
  });

  test('the element removed mid-payment → no status request for 5 s, the order kept', async ({ page, context }) => {
    const { checkout, orderId } = await openCheckout(page);
    const statusAt: number[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/status')) statusAt.push(Date.now());
    });
    await payButton(checkout).click();
    await expect(qrImage(checkout)).toBeVisible();
    await expect.poll(() => statusAt.length).toBeGreaterThanOrEqual(2);
    const removedAt = await page.evaluate(() => {
      document.querySelector('cashdesk-checkout')?.remove();
      return Date.now();
    });
    const skew = Date.now() - removedAt;
    // What would wake a live poller: the network coming back, the tab shown again, a pageshow.
    await page.waitForTimeout(1_000);
    await context.setOffline(true);
    await context.setOffline(false);
    await page.evaluate(() => {
      document.dispatchEvent(new Event('visibilitychange'));
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    });
    await page.waitForTimeout(4_000);
    // A request the removal caught in flight started before it; none may start after.
    expect(statusAt.filter((t) => t > removedAt + Math.max(skew, 0) + 50)).toEqual([]);
    const order = await backendOrder(page, orderId);
    expect(order.status).toBe('pending');
    expect(order.attempts).toHaveLength(1);
  });

  test('two widgets on one page → each its own QR, each one success for its own order', async ({ page }) => {
    await recordEvents(page);
    const creates = await interceptCreate(page);
    const { orderId: first } = await openCheckout(page);
    const response = await page.request.post('/api/orders', {
      data: { gateway: 'epay', scenario: 'qrcode', amount: 1200, currency: 'CNY' },
    });
    expect(response.status()).toBe(201);
    const second = ((await response.json()) as { orderId: string }).orderId;
    await page.evaluate(
      ({ orderId, schedule }) => {
        const element = document.createElement('cashdesk-checkout');
        for (const [name, value] of Object.entries({
          endpoint: '/api/pay',
          'status-endpoint': '/api/status',
          'order-id': orderId,
          amount: '1200',
          currency: 'CNY',
          methods: 'wxpay',
          lang: 'en',
        }))
          element.setAttribute(name, value);
        element.environment = { mobile: false, os: 'other' };
        element.pollSchedule = schedule;
        document.getElementById('stage')?.append(element);
      },
      { orderId: second, schedule: FAST_POLL },
    );
    const a = page.locator(`cashdesk-checkout[order-id="${first}"]`);
    const b = page.locator(`cashdesk-checkout[order-id="${second}"]`);
    await payButton(a).click();
    await payButton(b).click();
    await expect(qrImage(a)).toBeVisible();
    await expect(qrImage(b)).toBeVisible();

    const contents = await page.evaluate(() =>
      [...document.querySelectorAll('cashdesk-checkout')].map((element) => {
        const qr = element.shadowRoot?.querySelector('cashdesk-qr') as (Element & { content?: string }) | null;
        return { orderId: element.getAttribute('order-id'), content: qr?.content ?? '' };
      }),
    );
    expect(contents.map((c) => c.orderId)).toEqual([first, second]);
    expect(contents[0]?.content).not.toBe(contents[1]?.content);
    // One payment, one key each; the two keys differ.
    expect(creates.keys).toHaveLength(2);
    expect(creates.keys[0]).not.toBe(creates.keys[1]);

    // Pay the second first: the first must not hear of it.
    for (const [locator, orderId, content] of [
      [b, second, contents[1]?.content ?? ''],
      [a, first, contents[0]?.content ?? ''],
    ] as const) {
      const scanned = await page.request.post('/gw/epay/scan', { form: { content } });
      expect(scanned.ok()).toBe(true);
      await expect(message(locator)).toHaveText(EN.paid, { timeout: 15_000 });
      const order = await backendOrder(page, orderId);
      expect(order.status).toBe('paid');
      expect(order.attempts).toHaveLength(1);
    }
    await page.waitForTimeout(700);
    const verdicts = (await heard(page)).filter((e) => TERMINAL.includes(e.type) || e.type === 'cashdesk-error');
    expect(verdicts.map((e) => [e.type, e.orderId, e.host])).toEqual([
      ['cashdesk-success', second, second],
      ['cashdesk-success', first, first],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// The script-tag build loaded twice

test.describe('script loaded twice', () => {
  const bundle = readFileSync(new URL('../../dist/cashdesk.iife.js', import.meta.url), 'utf8');
  const merchantPage = (
    twice: boolean,
  ) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Merchant</title>
<script src="/cashdesk.iife.js"></script><script src="/mark.js"></script>${twice ? '<script src="/cashdesk.iife.js?again"></script>' : ''}
</head><body><main><h1>Shop</h1>
<cashdesk-checkout endpoint="/api/pay" status-endpoint="/api/status" order-id="A-1001" amount="9900" currency="CNY" methods="wxpay alipay" lang="en"></cashdesk-checkout>
</main></body></html>`;

  async function openMerchantPage(
    page: Page,
    csp?: string,
    twice = true,
  ): Promise<{ errors: string[]; bundleLoads: number }> {
    const errors: string[] = [];
    let bundleLoads = 0;
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (entry) => {
      if (entry.type() === 'error') errors.push(`console: ${entry.text()}`);
    });
    await page.route('http://merchant.test/**', (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/cashdesk.iife.js') {
        bundleLoads += 1;
        return route.fulfill({ body: bundle, contentType: 'text/javascript' });
      }
      if (path === '/mark.js')
        return route.fulfill({
          body: 'window.firstCashdesk = window.Cashdesk;',
          contentType: 'text/javascript',
        });
      if (path === '/')
        return route.fulfill({
          body: merchantPage(twice),
          contentType: 'text/html',
          headers: csp ? { 'Content-Security-Policy': csp } : {},
        });
      return route.fulfill({ status: 404, body: 'not found' });
    });
    await page.goto('http://merchant.test/');
    return { errors, bundleLoads };
  }

  async function expectWorks(page: Page): Promise<void> {
    const result = await page.evaluate(() => {
      const w = window as unknown as {
        Cashdesk?: { toAction: (gateway: string, response: unknown) => { kind: string; content?: string } };
        firstCashdesk?: unknown;
      };
      const element = document.querySelector('cashdesk-checkout');
      return {
        // The second copy steps aside: window.Cashdesk is still the first copy's.
        firstCopyKept: w.firstCashdesk !== undefined && w.firstCashdesk === w.Cashdesk,
        defined: customElements.get('cashdesk-checkout') !== undefined,
        qrDefined: customElements.get('cashdesk-qr') !== undefined,
        upgraded: element instanceof (customElements.get('cashdesk-checkout') ?? class {}),
        action: w.Cashdesk?.toAction('epay', { code: 1, trade_no: '1', qrcode: 'weixin://wxpay/bizpayurl?pr=1' }),
      };
    });
    expect(result).toEqual({
      firstCopyKept: true,
      defined: true,
      qrDefined: true,
      upgraded: true,
      action: expect.objectContaining({ kind: 'qr', content: 'weixin://wxpay/bizpayurl?pr=1' }),
    });
    // The element on the page renders and is usable.
    const checkout = page.locator('cashdesk-checkout');
    await expect(checkout.getByRole('button', { name: 'Pay CN¥99.00' })).toBeEnabled();
    await expect(checkout.getByRole('radio', { name: 'WeChat Pay' })).toBeChecked();
  }

  test('script tag twice on a plain page → no error, the element and Cashdesk.toAction work', async ({ page }) => {
    const { errors, bundleLoads } = await openMerchantPage(page);
    expect(bundleLoads).toBe(2);
    expect(errors).toEqual([]);
    await expectWorks(page);
  });

  test("script tag twice under the strict CSP with 'allow-duplicates' (README) → no error, it works", async ({
    page,
  }) => {
    const { errors, bundleLoads } = await openMerchantPage(
      page,
      CONTENT_SECURITY_POLICY.replace(
        'trusted-types lit-html cashdesk',
        "trusted-types lit-html cashdesk 'allow-duplicates'",
      ),
    );
    expect(bundleLoads).toBe(2);
    expect(errors).toEqual([]);
    await expectWorks(page);
  });

  test('script tag twice under the strict CSP as published → no error thrown', async ({ page }) => {
    // The second copy would re-run Lit's trustedTypes.createPolicy('lit-html'), which this policy
    // (no 'allow-duplicates') refuses; the IIFE steps aside when window.Cashdesk is already there.
    const { errors, bundleLoads } = await openMerchantPage(page, CONTENT_SECURITY_POLICY);
    expect(bundleLoads).toBe(2);
    expect(errors).toEqual([]);
    await expectWorks(page);
  });

  /** A merchant adds its own gateway with Cashdesk.registerGateway and hands the element a payload for it. */
  async function expectRegisteredGatewayReachesTheElement(page: Page): Promise<void> {
    await expect(page.locator('cashdesk-checkout').getByRole('button', { name: /^Pay/ })).toBeEnabled();
    await page.evaluate(() => {
      const codes: string[] = [];
      (window as unknown as { __codes: string[] }).__codes = codes;
      window.addEventListener('cashdesk-error', (event) => codes.push(String((event as CustomEvent).detail.code)));
      const { registerGateway } = (
        window as unknown as {
          Cashdesk: { registerGateway: (id: string, adapter: (response: unknown) => unknown) => void };
        }
      ).Cashdesk;
      registerGateway('mypsp', (response) => ({ kind: 'qr', content: (response as { code: string }).code }));
      const element = document.querySelector('cashdesk-checkout');
      if (element) element.payload = { gateway: 'mypsp', response: { code: 'weixin://wxpay/bizpayurl?pr=42' } };
    });
    const checkout = page.locator('cashdesk-checkout');
    await expect(checkout.locator('[part~="base"][data-state]').first()).not.toHaveAttribute('data-state', 'idle');
    // What the shopper would see instead of the QR: "Choose another method" after unknown_gateway.
    expect(await page.evaluate(() => (window as unknown as { __codes: string[] }).__codes)).toEqual([]);
    await expect(checkout.getByRole('img', { name: EN.qr })).toBeVisible();
  }

  test('script tag twice → a gateway added with Cashdesk.registerGateway reaches the element', async ({ page }) => {
    // Each copy of the bundle has its own registry; the element is the first copy's class. The
    // second copy steps aside, so window.Cashdesk.registerGateway reaches the element's registry.
    await openMerchantPage(page);
    await expectRegisteredGatewayReachesTheElement(page);
  });

  test('script tag once → a gateway added with Cashdesk.registerGateway reaches the element (control)', async ({
    page,
  }) => {
    await openMerchantPage(page, undefined, false);
    await expectRegisteredGatewayReachesTheElement(page);
  });
});
