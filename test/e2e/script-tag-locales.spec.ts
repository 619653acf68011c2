/**
 * The script-tag build carries five languages and fetches the other eleven as files of their own,
 * from the `locales/` folder beside the script (or the one `data-cashdesk-locales` names), under a
 * policy of `script-src 'self'`; a language it cannot fetch leaves English, never a blank checkout.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Page, Route } from '@playwright/test';
import { en } from '../../src/i18n/en.js';
import { ja } from '../../src/i18n/ja.js';
import { ko } from '../../src/i18n/ko.js';
import { zhCN } from '../../src/i18n/zh-CN.js';
import { expect, test } from './strict-csp.js';
import { withAnyAmount } from './words.js';

const ORIGIN = 'http://merchant.test';
/** A static host of another origin, which answers with CORS (a module script is fetched with it). */
const STATIC = 'http://static.test';
const dist = new URL('../../dist/', import.meta.url);
const POLICY =
  `default-src 'self'; script-src 'self' ${STATIC}; style-src 'self'; connect-src 'self'; base-uri 'none'; ` +
  "require-trusted-types-for 'script'; trusted-types lit-html cashdesk";

/**
 * Opens a page with the script tag and a checkout in `lang` (`before` goes in the body ahead of it);
 * returns the URLs it requested, origin and path.
 */
async function open(page: Page, lang: string, scriptAttributes = '', before = ''): Promise<string[]> {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script src="/cdn/cashdesk.iife.js"${scriptAttributes}></script></head><body>${before}
<cashdesk-checkout lang="${lang}" endpoint="/api/pay" order-id="A-1" amount="9900" currency="CNY" methods="alipay wxpay"></cashdesk-checkout>
</body></html>`;
  const requests: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    requests.push(url.origin === ORIGIN ? url.pathname : `${url.origin}${url.pathname}`);
  });
  const serve = (headers: Record<string, string>) => (route: Route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/' && headers['access-control-allow-origin'] === undefined) {
      return route.fulfill({ body: html, contentType: 'text/html', headers: { 'content-security-policy': POLICY } });
    }
    const file = /^\/(?:cdn|elsewhere)\/(cashdesk\.iife\.js|locales\/[\w.-]+\.js)$/.exec(path)?.[1];
    if (file && existsSync(new URL(file, dist))) {
      return route.fulfill({ body: readFileSync(new URL(file, dist)), contentType: 'text/javascript', headers });
    }
    return route.fulfill({ status: 404, body: 'not found' });
  };
  await page.route(`${ORIGIN}/**`, serve({}));
  await page.route(`${STATIC}/**`, serve({ 'access-control-allow-origin': '*' }));
  // Nothing else is answered: a request anywhere else would show in `requests` and fail.
  await page.route(/^https?:\/\/(?!merchant\.test|static\.test)/, (route) => route.abort('blockedbyclient'));
  await page.goto(`${ORIGIN}/`);
  return requests;
}

const payButton = (page: Page) => page.locator('cashdesk-checkout').getByRole('button');

test('a language the script carries is drawn at once, with nothing fetched', async ({ page }) => {
  const requests = await open(page, 'zh-CN');
  await expect(payButton(page)).toHaveText(zhCN.pay('¥99.00'));
  expect(requests.filter((path) => path.includes('/locales/'))).toEqual([]);
});

test('another language is fetched from beside the script, for that language only', async ({ page }) => {
  const requests = await open(page, 'ja');
  await expect(payButton(page)).toHaveText(withAnyAmount(ja.pay));
  const fetched = requests.filter((path) => path.includes('/locales/'));
  expect(fetched).toContain('/cdn/locales/ja.js');
  expect(fetched.filter((path) => /\/locales\/[a-z]{2,3}(-[A-Z]{2})?\.js$/.test(path))).toEqual(['/cdn/locales/ja.js']);
});

test('data-cashdesk-locales names another folder', async ({ page }) => {
  const requests = await open(page, 'ko', ' data-cashdesk-locales="/elsewhere/locales"');
  await expect(payButton(page)).toHaveText(withAnyAmount(ko.pay));
  expect(requests).toContain('/elsewhere/locales/ko.js');
  expect(requests.filter((path) => path.startsWith('/cdn/locales/'))).toEqual([]);
});

test('a language that cannot be fetched leaves English, its words, its lang and its direction', async ({ page }) => {
  const requests = await open(page, 'ar', ' data-cashdesk-locales="/missing/"');
  await expect(payButton(page)).toHaveText(withAnyAmount(en.pay));
  const base = page.locator('cashdesk-checkout [part~="base"]');
  await expect(base).toHaveAttribute('lang', 'en');
  await expect(base).toHaveAttribute('dir', 'ltr');
  expect(requests).toContain('/missing/ar.js');
  // Not fetched again at each render.
  await page.waitForTimeout(300);
  expect(requests.filter((path) => path === '/missing/ar.js')).toHaveLength(1);
});

for (const loading of ['defer', 'async']) {
  test(`a ${loading} script fetches from beside itself too`, async ({ page }) => {
    const requests = await open(page, 'ja', ` ${loading}`);
    await expect(payButton(page)).toHaveText(withAnyAmount(ja.pay));
    expect(requests).toContain('/cdn/locales/ja.js');
  });
}

test('a folder on another origin is fetched with CORS', async ({ page }) => {
  const requests = await open(page, 'ko', ` data-cashdesk-locales="${STATIC}/elsewhere/locales/"`);
  await expect(payButton(page)).toHaveText(withAnyAmount(ko.pay));
  expect(requests).toContain(`${STATIC}/elsewhere/locales/ko.js`);
});

test('a named element in the page cannot stand in for the script and choose the folder', async ({ page }) => {
  // DOM clobbering: `document.currentScript` read through a named <img>, had the script not been checked.
  const planted = `<img name="currentScript" data-cashdesk-locales="${STATIC}/elsewhere/locales/" alt="">`;
  const requests = await open(page, 'ko', ' defer', planted);
  // The script cannot be told from the stand-in, so no folder is trusted: English, and no fetch.
  await expect(payButton(page)).toHaveText(withAnyAmount(en.pay));
  expect(requests.filter((path) => path.includes('/locales/'))).toEqual([]);
});
