/**
 * Browsers without constructable stylesheets (Safari before 16.4: iPhones on iOS 15 and the WeChat
 * running on them) get Lit's `<style>` elements instead, which a strict `style-src` blocks unless
 * they carry the page's nonce. Chromium has constructable stylesheets, so each page here first
 * takes them away, as those browsers lack them, and then loads the script-tag build under a
 * nonce-based policy.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';

const bundle = readFileSync(new URL('../../dist/cashdesk.iife.js', import.meta.url), 'utf8');
const ORIGIN = 'https://merchant.test';
const NONCE = 'c2hvcC1ub25jZS0x';

const policy = [
  "default-src 'none'",
  `script-src 'nonce-${NONCE}'`,
  `style-src 'nonce-${NONCE}'`,
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html cashdesk',
].join('; ');

/** Serves the merchant page (with `head` before the bundle's tag) and the bundle, under `policy`. */
async function openPage(page: Page, options: { head?: string; scriptNonce?: string }): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    // As in Safari before 16.4: no adoptedStyleSheets, so Lit falls back to <style> elements.
    delete (Document.prototype as { adoptedStyleSheets?: unknown }).adoptedStyleSheets;
    delete (ShadowRoot.prototype as { adoptedStyleSheets?: unknown }).adoptedStyleSheets;
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportViolation(text: string): void }).reportViolation(
        `${event.effectiveDirective} ${event.blockedURI}`,
      );
    });
  });
  const nonceAttribute = options.scriptNonce === undefined ? '' : ` nonce="${options.scriptNonce}"`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body>${options.head ?? ''}
<script${nonceAttribute} src="/cashdesk.iife.js"></script>
<cashdesk-checkout endpoint="/api/pay" status-endpoint="/api/status" order-id="A-1" amount="9900" currency="CNY" methods="wxpay alipay"></cashdesk-checkout>
<cashdesk-qr content="weixin://wxpay/bizpayurl?pr=qCJcd2azz" label="Scan with WeChat"></cashdesk-qr>
</body></html>`;
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/cashdesk.iife.js') return route.fulfill({ body: bundle, contentType: 'text/javascript' });
    if (path === '/') {
      return route.fulfill({ body: html, contentType: 'text/html', headers: { 'Content-Security-Policy': policy } });
    }
    return route.fulfill({ status: 404, body: '' });
  });
  await page.goto(`${ORIGIN}/`);
  return violations;
}

/** What the shopper would see styled: the elements' layout and the Pay button's colours. */
async function looks(page: Page) {
  await page.waitForFunction(() => document.querySelector('cashdesk-checkout')?.shadowRoot?.querySelector('button'));
  return page.evaluate(() => {
    const checkout = document.querySelector('cashdesk-checkout') as HTMLElement;
    const qr = document.querySelector('cashdesk-qr') as HTMLElement;
    const roots = [checkout.shadowRoot, qr.shadowRoot];
    const styles = roots.flatMap((root) => [...(root?.querySelectorAll('style') ?? [])]);
    const pay =
      checkout.shadowRoot?.querySelector('button[part~="pay"]') ?? checkout.shadowRoot?.querySelector('button');
    return {
      styleElements: styles.length,
      nonces: [...new Set(styles.map((style) => style.nonce))],
      checkoutDisplay: getComputedStyle(checkout).display,
      qrDisplay: getComputedStyle(qr).display,
      payBackground: pay ? getComputedStyle(pay).backgroundColor : 'no button',
    };
  });
}

test('the script tag lends its nonce: every <style> Lit writes carries it and applies, zero violations', async ({
  page,
}) => {
  const violations = await openPage(page, { scriptNonce: NONCE });
  const seen = await looks(page);
  expect(seen.styleElements).toBeGreaterThanOrEqual(2);
  expect(seen.nonces).toEqual([NONCE]);
  // Unstyled, both would be `inline` and the button the browser's grey.
  expect(seen.checkoutDisplay).toBe('block');
  expect(seen.qrDisplay).toBe('inline-block');
  expect(seen.payBackground).toBe('rgb(8, 96, 202)');
  expect(violations).toEqual([]);
});

test("a nonce the page sets in window.litNonce wins over the script tag's", async ({ page }) => {
  // The page's own nonced inline script runs first; the bundle's tag carries the same nonce, as
  // one response's nonce does, so this checks only who decides.
  const violations = await openPage(page, {
    scriptNonce: NONCE,
    head: `<script nonce="${NONCE}">window.litNonce = 'page-set'</script>`,
  });
  const seen = await looks(page);
  expect(seen.nonces).toEqual(['page-set']);
  // 'page-set' is not the policy's nonce, so the browser refuses those styles and says so.
  expect(violations.some((v) => v.startsWith('style-src'))).toBe(true);
});

test('markup that shadows document.currentScript cannot choose the nonce', async ({ page }) => {
  // DOM clobbering: a named element replaces document.currentScript. Markup injection must not
  // pick the nonce Lit stamps on every <style>; nothing is lent rather than the injected value.
  await openPage(page, { scriptNonce: NONCE, head: '<img name="currentScript" nonce="injected" alt="">' });
  await page.waitForFunction(() => document.querySelector('cashdesk-checkout')?.shadowRoot?.querySelector('button'));
  const seen = await page.evaluate(() => ({
    clobbered: (document.currentScript as Element | null)?.tagName,
    litNonce: (window as { litNonce?: string }).litNonce ?? 'unset',
  }));
  expect(seen).toEqual({ clobbered: 'IMG', litNonce: 'unset' });
});
