/**
 * Inside the Alipay app (its own browser: `AlipayClient` in the user agent, `AlipayJSBridge`
 * after `AlipayJSBridgeReady`), and a WeChat mini-program link inside WeChat, walked to their end
 * through the gallery against the sandbox's simulators, on the production build under the strict
 * CSP. The simulated cashier answers the documented `resultCode`s (Pay 9000, Cancel 6001, Fail
 * 4000); Pay tells the simulator, which notifies the merchant backend: "paid" comes from there.
 */
import { devices, type Page } from '@playwright/test';
import { expect, test } from './strict-csp.js';

const { defaultBrowserType: _browser, ...iphone } = devices['iPhone 13'] ?? {};

const paid = 'Payment received. Thank you!';

async function open(page: Page, gateway: string, scenario: string, env: string, method: string) {
  await page.goto(`/?gateway=${gateway}&scenario=${scenario}&env=${env}&method=${method}&lang=en&autostart=1`);
  const checkout = page.locator('cashdesk-checkout');
  await expect(checkout.getByRole('button', { name: /^Pay/ })).toBeEnabled();
  return checkout;
}

const logged = (page: Page, type: string) => page.locator('#log li', { hasText: type }).count();
/** How many times the gallery's shop asked the gateway to create a payment for the order. */
const creates = (page: Page) =>
  page.evaluate(async () => {
    const orderId = document.getElementById('order-id')?.textContent ?? '';
    const order = (await (await fetch(`/api/orders/${orderId}`)).json()) as { attempts: unknown[] };
    return order.attempts.length;
  });

test.describe('inside the Alipay app', () => {
  test.use(iphone);

  for (const [gateway, scenario] of [
    ['pingpp', 'alipay'],
    ['careyshop', 'app'],
  ] as const) {
    test(`${gateway} ${scenario}: the order string is paid with tradePay, the backend says paid, one success`, async ({
      page,
    }) => {
      const checkout = await open(page, gateway, scenario, 'alipay', 'alipay');
      await checkout.getByRole('button', { name: /^Pay/ }).click();
      await expect(checkout.getByText('Complete the payment in Alipay').first()).toBeVisible();
      const cashier = page.getByRole('dialog', { name: 'Alipay' });
      await expect(cashier).toBeVisible();
      // The bridge got the gateway's signed order string, unchanged, as orderStr.
      await expect(page.locator('#log li', { hasText: "call('tradePay')" })).toHaveCount(1);
      await expect(cashier).toContainText('orderStr');
      await cashier.getByRole('button', { name: 'Pay' }).click();
      await expect(checkout.getByText(paid).first()).toBeVisible({ timeout: 15_000 });
      await expect.poll(() => logged(page, 'cashdesk-success')).toBe(1);
      // The order string went to Alipay's cashier, not to a native app.
      expect(await logged(page, 'cashdesk-sdk-token')).toBe(0);
    });
  }

  test('Cancel (6001): back to the methods with the same order, nothing failed', async ({ page }) => {
    const checkout = await open(page, 'pingpp', 'alipay', 'alipay', 'alipay');
    const orderId = await page.locator('#order-id').textContent();
    await checkout.getByRole('button', { name: /^Pay/ }).click();
    await page.getByRole('dialog', { name: 'Alipay' }).getByRole('button', { name: 'Cancel' }).click();
    await expect(checkout.getByRole('button', { name: /^Pay/ })).toBeEnabled();
    await expect(checkout.getByText(/canceled/).first()).toBeAttached();
    expect(await page.locator('#order-id').textContent()).toBe(orderId);
    expect(await logged(page, 'cashdesk-failure')).toBe(0);
  });

  test('Fail (4000): an error whose Retry opens the same order string again (no new create), then paid', async ({
    page,
  }) => {
    const checkout = await open(page, 'careyshop', 'app', 'alipay', 'alipay');
    await checkout.getByRole('button', { name: /^Pay/ }).click();
    await page.getByRole('dialog', { name: 'Alipay' }).getByRole('button', { name: 'Fail' }).click();
    const retry = checkout.getByRole('button', { name: 'Retry' });
    await expect(retry).toBeVisible();
    expect(await logged(page, 'cashdesk-error')).toBe(1);
    expect(await logged(page, 'cashdesk-failure')).toBe(0);
    const before = await creates(page);
    const first = await page.locator('#log li', { hasText: "call('tradePay')" }).first().textContent();
    await retry.click();
    const cashier = page.getByRole('dialog', { name: 'Alipay' });
    await expect(cashier).toBeVisible();
    await expect(page.locator('#log li', { hasText: "call('tradePay')" })).toHaveCount(2);
    const second = await page.locator('#log li', { hasText: "call('tradePay')" }).last().textContent();
    expect(second).toBe(first);
    expect(await creates(page)).toBe(before);
    await cashier.getByRole('button', { name: 'Pay' }).click();
    await expect(checkout.getByText(paid).first()).toBeVisible({ timeout: 15_000 });
    await expect.poll(() => logged(page, 'cashdesk-success')).toBe(1);
  });
});

test.describe('a WeChat mini-program link inside WeChat', () => {
  test.use(iphone);

  test('epay urlscheme weixin://dl/business: its code as an image to long-press at once, never "install"', async ({
    page,
  }) => {
    const checkout = await open(page, 'epay', 'urlscheme', 'wechat', 'wxpay');
    await checkout.getByRole('button', { name: /^Pay/ }).click();
    const code = checkout.getByRole('img', { name: 'Payment QR code' });
    await expect(code).toBeVisible();
    // An <img>, which WeChat's long-press recognises, not inline SVG.
    expect(await code.evaluate((node) => node.tagName)).toBe('IMG');
    await expect(checkout.getByText('WeChat does not open mini-program links').first()).toBeVisible();
    await expect(checkout).not.toContainText(/install/i);
    await expect(checkout).not.toContainText('The app did not open');
    expect(await logged(page, 'cashdesk-app-launch-failed')).toBe(0);
    // Scanned from another phone, it pays.
    await page.getByRole('button', { name: 'Simulate scan' }).click();
    await expect(checkout.getByText(paid).first()).toBeVisible({ timeout: 15_000 });
  });
});
