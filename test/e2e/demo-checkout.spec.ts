/**
 * The demo gallery, built for production: a shopper pays by QR and the page hears of it once.
 */

import { decodeQr } from './qr-decode.js';
import { expect, test } from './strict-csp.js';

// The gallery restores its setup from the query; autostart creates the order and mounts the checkout.
const EPAY_QR = '/?gateway=epay&scenario=qrcode&env=desktop&amount=9900&currency=CNY&lang=en&autostart=1';

test('pay by QR: the drawn code scans to what the backend issued, then the payment succeeds once', async ({ page }) => {
  await page.goto(EPAY_QR);
  const checkout = page.locator('cashdesk-checkout');
  await expect(checkout.getByRole('radio', { name: 'WeChat Pay' })).toBeChecked();
  const created = page.waitForResponse((response) => response.url().endsWith('/api/pay'));
  await checkout.getByRole('button', { name: 'Pay CN¥99.00' }).click();
  const issued = (await (await created).json()).response.qrcode;
  const qr = checkout.getByRole('img', { name: 'Payment QR code' });
  await expect(qr).toBeVisible();
  expect(await decodeQr(qr)).toBe(issued);
  await expect(checkout.getByRole('status').filter({ hasText: 'Waiting for your payment' }).first()).toBeAttached();

  await page.getByRole('button', { name: 'Simulate scan' }).click();
  await expect(checkout.getByText('Payment received. Thank you!').first()).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('#log li', { hasText: 'cashdesk-success' })).toHaveCount(1);
});

test('the language follows the lang attribute, amount formatting included', async ({ page }) => {
  await page.goto(EPAY_QR);
  await page.getByLabel('Language').selectOption('zh-CN');
  const checkout = page.locator('cashdesk-checkout');
  await expect(checkout.getByRole('radio', { name: '微信支付' })).toBeVisible();
  await expect(checkout.getByRole('button', { name: '支付 ¥99.00' })).toBeVisible();
  await page.getByLabel('Language').selectOption('es');
  await expect(checkout.getByRole('button', { name: 'Pagar 99,00 CNY' })).toBeVisible();
});
