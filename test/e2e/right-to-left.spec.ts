/**
 * The gallery in Arabic, against the sandbox: the checkout is laid out from the right in every
 * state a shopper meets (methods, QR, paid, failed), the QR still scans, and each state's
 * screenshot is kept in the report (`test-results/`) to be looked at.
 */
import { ar } from '../../src/i18n/ar.js';
import { decodeQr } from './qr-decode.js';
import { expect, test } from './strict-csp.js';
import { withAnyAmount } from './words.js';

const gallery = (scenario: string) =>
  `/?gateway=epay&scenario=${scenario}&env=desktop&amount=9900&currency=CNY&lang=ar&autostart=1`;

test.use({ viewport: { width: 420, height: 900 } });

const payName = withAnyAmount(ar.pay);

test('in Arabic the checkout runs right to left through methods, QR and paid, and the QR scans', async ({
  page,
}, testInfo) => {
  await page.goto(gallery('qrcode'));
  const checkout = page.locator('cashdesk-checkout');
  const base = checkout.locator('[part~="base"]');
  await expect(base).toHaveAttribute('dir', 'rtl');
  await expect(base).toHaveCSS('direction', 'rtl');
  const wechat = checkout.getByRole('radio', { name: ar.methodNames.wxpay });
  await expect(wechat).toBeChecked();
  const shot = async (name: string) => {
    const path = testInfo.outputPath(`ar-${name}.png`);
    await checkout.screenshot({ path, animations: 'disabled' });
    await testInfo.attach(`ar-${name}`, { path, contentType: 'image/png' });
  };

  // The methods read from the right: the first one's right edge is the rightmost.
  const labels = checkout.locator('label.method');
  const edges = await labels.evaluateAll((all) => all.map((label) => label.getBoundingClientRect().right));
  expect(edges.length).toBeGreaterThan(1);
  expect(edges).toEqual([...edges].sort((a, b) => b - a));
  const box = await base.boundingBox();
  const legend = await checkout.locator('legend').boundingBox();
  expect(Math.abs((box?.x ?? 0) + (box?.width ?? 0) - ((legend?.x ?? 0) + (legend?.width ?? 0)))).toBeLessThan(40);
  await shot('methods');

  // The focus walks in reading order: the chosen method, then Pay.
  await wechat.focus();
  await page.keyboard.press('Tab');
  const pay = checkout.getByRole('button', { name: payName });
  await expect(pay).toBeFocused();

  const created = page.waitForResponse((response) => response.url().endsWith('/api/pay'));
  await pay.click();
  const issued = (await (await created).json()).response.qrcode;
  const qr = checkout.getByRole('img', { name: ar.qrLabel });
  await expect(qr).toBeVisible();
  // A mirrored code does not scan: this one is drawn as in any language.
  expect(await decodeQr(qr)).toBe(issued);
  await expect(checkout.locator('[part~="qr"]').locator('[part~="base"]')).toHaveCSS('direction', 'rtl');
  await shot('qr');

  await page.getByRole('button', { name: 'Simulate scan' }).click();
  await expect(checkout.getByText(ar.paid).first()).toBeVisible({ timeout: 15_000 });
  await shot('paid');
});

test('in Arabic a failed payment is told right to left, with the way back', async ({ page }, testInfo) => {
  await page.goto(gallery('error'));
  const checkout = page.locator('cashdesk-checkout');
  await checkout.getByRole('button', { name: payName }).click();
  const message = checkout.locator('[part~="message"]');
  await expect(message).toBeVisible();
  await expect(message).toHaveCSS('direction', 'rtl');
  await expect(message).not.toContainText(/[A-Za-z]{4,}/);
  const path = testInfo.outputPath('ar-failed.png');
  await checkout.screenshot({ path, animations: 'disabled' });
  await testInfo.attach('ar-failed', { path, contentType: 'image/png' });
});
