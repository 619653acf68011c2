/**
 * Inside WeChat the code is an image a long-press can read (`<cashdesk-qr>`): on the production
 * build under the strict CSP with Trusted Types, the `data:` PNG draws without any violation
 * (`img-src data:` is all it needs), keeps its accessible name, and scans to what was issued.
 */
import { devices, type Page } from '@playwright/test';
import { decodeQr } from './qr-decode.js';
import { expect, test } from './strict-csp.js';

const { defaultBrowserType: _browser, ...iphone } = devices['iPhone 13'] ?? {};

async function issuedContent(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    const el = document.querySelector('cashdesk-checkout')?.shadowRoot?.querySelector('cashdesk-qr') as
      | (HTMLElement & { content: string })
      | null;
    return el?.content;
  });
}

test.use(iphone);

const LONG_PRESS = 'Press and hold the code to pay';

// A cashier page opens from a long-press; a WeChat Pay Native code does not (WeChat Pay refuses to
// pay one read that way), so it keeps the scanning words.
for (const [gateway, scenario, method, words] of [
  ['pingpp', 'wx_pub_qr', 'wxpay', 'Scan with WeChat Pay to pay'],
  ['useepay', 'qr', 'alipay', LONG_PRESS],
  ['alipayplus', 'order-code', 'alipay', LONG_PRESS],
] as const) {
  test(`inside WeChat: ${gateway} ${scenario} is a PNG image that scans to what was issued, under "${words}"`, async ({
    page,
  }) => {
    await page.goto(`/?gateway=${gateway}&scenario=${scenario}&env=wechat&method=${method}&lang=en&autostart=1`);
    const checkout = page.locator('cashdesk-checkout');
    await checkout.getByRole('button', { name: /^Pay/ }).click();
    const qr = checkout.getByRole('img', { name: 'Payment QR code' });
    await expect(qr).toBeVisible();
    expect(await qr.evaluate((node) => node.localName)).toBe('img');
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const issued = await issuedContent(page);
    expect(await decodeQr(qr)).toBe(issued);
    await expect(checkout.locator('cashdesk-qr').getByText(words, { exact: true })).toBeVisible();
  });
}
