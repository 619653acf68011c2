/**
 * The end-to-end flows in the engines most shoppers pay with besides Chromium: WebKit (every
 * iPhone browser, WeChat's and Alipay's in-app browsers there) and Firefox. The production demo
 * and its sandbox are served under the strict CSP, as for the Chromium specs; each flow ends by
 * checking that no page it passed through raised a Content-Security-Policy violation.
 */
import { test as base, expect } from '@playwright/test';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { type Driver, type Engine, openEngine } from './driver.js';

const test = base.extend<{ driver: Driver }>({
  driver: async ({ baseURL }, use, testInfo) => {
    const driver = await openEngine(testInfo.project.name as Engine);
    try {
      // The origin is visited once first so that the violations kept per tab start empty.
      await driver.goto(`${baseURL}/return.html`);
      await driver.evaluate(() => sessionStorage.clear());
      await use(driver);
      const violations = await driver.evaluate(() => [
        ...JSON.parse(sessionStorage.getItem('cashdesk-csp-violations') ?? '[]'),
        ...((window as unknown as { __cspViolations?: unknown[] }).__cspViolations ?? ['no listener on this page']),
      ]);
      expect(violations, 'Content-Security-Policy violations').toEqual([]);
    } finally {
      await driver.close();
    }
  },
});

test.describe.configure({ timeout: 90_000 });

const PAID = 'Payment received. Thank you!';

function galleryUrl(baseURL: string, gateway: string, scenario: string, env: string, method: string, lang = 'en') {
  return `${baseURL}/?gateway=${gateway}&scenario=${scenario}&env=${env}&method=${method}&lang=${lang}&autostart=1`;
}

/** Polls `read` in the page (with `args`) until `accept` holds. */
async function until<A extends unknown[], T>(
  driver: Driver,
  read: (...args: A) => T,
  accept: (value: Awaited<T>) => boolean,
  what: string,
  timeout = 20_000,
  ...args: A
): Promise<Awaited<T>> {
  const deadline = Date.now() + timeout;
  let last: Awaited<T> | undefined;
  for (;;) {
    try {
      last = await driver.evaluate(read, ...args);
      if (accept(last)) return last;
    } catch {
      // A page being replaced by the next one answers nothing for a moment.
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Everything the shopper can read in the checkout, shadow root included. */
function checkoutText(): string {
  const el = document.querySelector('cashdesk-checkout');
  const walk = (node: Node): string =>
    [...node.childNodes].map((child) => (child.nodeType === 3 ? child.textContent : walk(child))).join(' ') +
    ((node as Element).shadowRoot ? walk((node as Element).shadowRoot as ShadowRoot) : '');
  return el === null ? '' : walk(el).replace(/\s+/g, ' ');
}

function loggedCount(type: string): number {
  return [...document.querySelectorAll('#log li')].filter((li) => li.textContent?.includes(type)).length;
}

/**
 * Marks the enabled, visible button or link whose text is `text` (or starts with it), anywhere in
 * the page, shadow roots included, and returns the selector path to it (host by host).
 */
function markButton(text: string, startsWith: boolean): string[] | null {
  const search = (root: Document | ShadowRoot, path: string[]): string[] | null => {
    for (const el of root.querySelectorAll<HTMLButtonElement | HTMLAnchorElement>('button, a[href]')) {
      const label = el.textContent?.trim() ?? '';
      const visible = el.getClientRects().length > 0 && !(el as HTMLButtonElement).disabled;
      if (visible && (startsWith ? label.startsWith(text) : label === text)) {
        const mark = `m${Math.random().toString(36).slice(2)}`;
        el.setAttribute('data-engines-mark', mark);
        return [...path, `[data-engines-mark="${mark}"]`];
      }
    }
    for (const host of root.querySelectorAll('*')) {
      if (host.shadowRoot === null) continue;
      const mark = `h${Math.random().toString(36).slice(2)}`;
      host.setAttribute('data-engines-mark', mark);
      const found = search(host.shadowRoot, [...path, `[data-engines-mark="${mark}"]`]);
      if (found) return found;
    }
    return null;
  };
  return search(document, []);
}

/** Clicks that button with the driver's own element click, as a user would. */
async function clickText(driver: Driver, text: string, startsWith = false): Promise<void> {
  const path = await until(
    driver,
    markButton,
    (found) => found !== null,
    `a button "${text}"`,
    20_000,
    text,
    startsWith,
  );
  await driver.click(path as string[]);
}

/** Pay leaves for the gateway's page (`gatewayPath`), its Pay returns to the shop, which shows paid. */
async function payAtGatewayAndReturn(driver: Driver, gatewayPath: string, what: string): Promise<void> {
  await clickText(driver, 'Pay', true);
  await until(
    driver,
    () => location.pathname,
    (path) => path.includes(gatewayPath),
    what,
  );
  await clickText(driver, 'Pay');
  await until(
    driver,
    () => location.pathname,
    (path) => path.endsWith('/return.html'),
    'the return page',
  );
  await until(driver, checkoutText, (text) => text.includes(PAID), 'paid on the return page');
}

async function openGallery(driver: Driver, url: string): Promise<void> {
  await driver.goto(url);
  await until(driver, checkoutText, (text) => /\bPay\b|支付/.test(text), 'the checkout');
}

test('QR: drawn, decoded from a screenshot to what was issued, scanned, one success', async ({ driver, baseURL }) => {
  await openGallery(driver, galleryUrl(baseURL!, 'useepay', 'qr', 'desktop', 'alipay'));
  await clickText(driver, 'Pay', true);
  const issued = await until(
    driver,
    () => {
      const qr = document.querySelector('cashdesk-checkout')?.shadowRoot?.querySelector('cashdesk-qr') as
        | (Element & { content?: string })
        | null;
      // Drawn and settled: no animation still running on the way in.
      const settled = qr?.shadowRoot?.querySelector('svg') && document.getAnimations().length === 0;
      return settled ? (qr?.content ?? '') : '';
    },
    (content) => content !== '',
    'the QR code',
  );
  await driver.evaluate(() =>
    document
      .querySelector('cashdesk-checkout')
      ?.shadowRoot?.querySelector('cashdesk-qr')
      ?.scrollIntoView({ block: 'center', behavior: 'instant' }),
  );
  // Screenshot once the code is inside the viewport (a page may scroll smoothly) and painted.
  await until(
    driver,
    () => {
      const svg = document
        .querySelector('cashdesk-checkout')
        ?.shadowRoot?.querySelector('cashdesk-qr')
        ?.shadowRoot?.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return box !== undefined && box.top >= 0 && box.bottom <= innerHeight;
    },
    Boolean,
    'the QR inside the viewport',
  );
  await driver.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const shot = await driver.screenshot();
  await test.info().attach('qr', { body: shot, contentType: 'image/png' });
  const png = PNG.sync.read(shot);
  const decoded = jsQR(
    new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
    png.width,
    png.height,
  );
  expect(decoded?.data).toBe(issued);
  await clickText(driver, 'Simulate scan');
  await until(driver, checkoutText, (text) => text.includes(PAID), 'paid');
  await until(driver, loggedCount, (n) => n === 1, 'one success', 20_000, 'cashdesk-success');
});

test('POST form: the CareyShop Alipay form reaches the gateway page signed, pays, returns, succeeds', async ({
  driver,
  baseURL,
}) => {
  await openGallery(driver, galleryUrl(baseURL!, 'careyshop', 'web', 'desktop', 'alipay'));
  // The simulator shows its cashier only after checking every field and the RSA2 signature.
  await payAtGatewayAndReturn(driver, '/gw/careyshop/', 'the Alipay page');
});

test('redirect: epay payurl → cashier → Pay → return page → paid', async ({ driver, baseURL }) => {
  await openGallery(driver, galleryUrl(baseURL!, 'epay', 'payurl', 'ios', 'alipay'));
  await payAtGatewayAndReturn(driver, '/gw/epay/pay/submit/', 'the cashier');
});

test("WeChat's sheet: ok is confirmed by the backend, one success", async ({ driver, baseURL }) => {
  await openGallery(driver, galleryUrl(baseURL!, 'pingpp', 'wx_pub', 'wechat', 'wxpay'));
  await clickText(driver, 'Pay', true);
  await until(driver, () => document.querySelector('dialog[open]') !== null, Boolean, "WeChat's sheet");
  await clickText(driver, 'Pay');
  await until(driver, checkoutText, (text) => text.includes(PAID), 'paid');
  await until(driver, loggedCount, (n) => n === 1, 'one success', 20_000, 'cashdesk-success');
});

test("WeChat's sheet: cancel returns to the methods with the same order", async ({ driver, baseURL }) => {
  await openGallery(driver, galleryUrl(baseURL!, 'pingpp', 'wx_pub', 'wechat', 'wxpay'));
  const order = await driver.evaluate(() => document.querySelector('#order-id')?.textContent);
  await clickText(driver, 'Pay', true);
  await until(driver, () => document.querySelector('dialog[open]') !== null, Boolean, "WeChat's sheet");
  await clickText(driver, 'Cancel');
  await until(driver, checkoutText, (text) => /canceled/.test(text) && /Pay \S*¥/.test(text), 'the methods again');
  expect(await driver.evaluate(() => document.querySelector('#order-id')?.textContent)).toBe(order);
  expect(await driver.evaluate(loggedCount, 'cashdesk-failure')).toBe(0);
});

test('deep link on a phone: the app does not open, the fallback QR and one app-launch-failed', async ({
  driver,
  baseURL,
}) => {
  await openGallery(driver, galleryUrl(baseURL!, 'epay', 'urlscheme', 'android', 'wxpay'));
  await clickText(driver, 'Pay', true);
  // WebKitGTK, like an Android WebView without a handler, replaces the page with an error page for
  // a scheme nothing handles; iOS Safari and Chrome keep the page. Back from the error page, the
  // shopper must find the fallback, not "Opening the app…" or a payment taken as started in an app.
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
    if ((await driver.url()).startsWith('weixin:')) {
      await driver.back();
      break;
    }
    if ((await driver.evaluate(checkoutText).catch(() => '')).includes('The app did not open')) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await until(driver, checkoutText, (text) => text.includes('The app did not open'), 'the fallback', 30_000);
  expect(
    await driver.evaluate(
      () => !!document.querySelector('cashdesk-checkout')?.shadowRoot?.querySelector('cashdesk-qr'),
    ),
  ).toBe(true);
  expect(await driver.evaluate(loggedCount, 'cashdesk-app-launch-failed')).toBe(1);
});

test("the app's SDK hand-off: the bridge gets the token, the app reports, the backend says paid", async ({
  driver,
  baseURL,
}) => {
  await openGallery(driver, galleryUrl(baseURL!, 'careyshop', 'app', 'app', 'alipay'));
  await clickText(driver, 'Pay', true);
  await until(driver, () => document.querySelector('dialog[open]') !== null, Boolean, "the app's SDK sheet");
  await clickText(driver, 'Pay');
  await until(driver, checkoutText, (text) => text.includes(PAID), 'paid');
  expect(await driver.evaluate(loggedCount, 'cashdesk-sdk-token')).toBe(1);
});

test('a failure over the method limit: said by its kind, then another method', async ({ driver, baseURL }) => {
  await openGallery(driver, galleryUrl(baseURL!, 'epay', 'error', 'desktop', 'wxpay'));
  await clickText(driver, 'Pay', true);
  await until(driver, loggedCount, (n) => n === 1, 'one failure', 20_000, 'cashdesk-failure');
  await until(driver, checkoutText, (text) => text.includes('over the limit'), 'the kind of failure');
  await clickText(driver, 'Choose another method');
  await until(driver, checkoutText, (text) => /Pay \S*¥/.test(text), 'the Pay button again');
});

test('the language switch: the checkout speaks the chosen language at once', async ({ driver, baseURL }) => {
  await openGallery(driver, galleryUrl(baseURL!, 'epay', 'qrcode', 'desktop', 'alipay'));
  await driver.evaluate(() => {
    const select = document.querySelector<HTMLSelectElement>('#lang');
    if (select === null) return;
    select.value = 'zh-CN';
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await until(driver, checkoutText, (text) => text.includes('支付 ¥'), 'the Chinese Pay button');
  await clickText(driver, '支付', true);
  await until(driver, checkoutText, (text) => text.includes('扫'), 'the QR instruction in Chinese');
});
