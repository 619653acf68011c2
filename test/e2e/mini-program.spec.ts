/**
 * Mini-program web-views through the gallery, against the Ping++ simulator, on the production
 * build under the strict CSP: the payment handed to the merchant's mini-program page with
 * `navigateTo` (simulated `wx.miniProgram` / `my`), paid (or not) there, and followed with the
 * backend once the page is shown again.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './strict-csp.js';

const paid = 'Payment received. Thank you!';

async function open(page: Page, scenario: string, env: string, method: string, extra = '') {
  await page.goto(`/?gateway=pingpp&scenario=${scenario}&env=${env}&method=${method}&lang=en&autostart=1${extra}`);
  const checkout = page.locator('cashdesk-checkout');
  await expect(checkout.getByRole('button', { name: /^Pay/ })).toBeEnabled();
  return checkout;
}

async function logged(page: Page, type: string): Promise<number> {
  return page.locator('#log li', { hasText: type }).count();
}

for (const { env, scenario, method, api, title, param } of [
  {
    env: 'wechat-mini',
    scenario: 'wx_lite',
    method: 'wxpay',
    api: 'wx.miniProgram',
    title: 'wx.requestPayment',
    param: 'paySign',
  },
  {
    env: 'wechat-mini',
    scenario: 'wx_pub',
    method: 'wxpay',
    api: 'wx.miniProgram',
    title: 'wx.requestPayment',
    param: 'paySign',
  },
  { env: 'alipay-mini', scenario: 'alipay_lite', method: 'alipay', api: 'my', title: 'my.tradePay', param: 'tradeNO' },
] as const) {
  test.describe(`${env}: Ping++ ${scenario}`, () => {
    test('handed to the mini-program page, paid there, back on the page: the backend says paid, one success', async ({
      page,
    }) => {
      const checkout = await open(page, scenario, env, method);
      await checkout.getByRole('button', { name: /^Pay/ }).click();
      const sheet = page.getByRole('dialog', { name: title });
      await expect(sheet).toBeVisible();
      await expect(sheet.getByText('/pages/cashdesk-pay/index')).toBeVisible();
      await expect(sheet.getByText(param, { exact: true })).toBeVisible();
      await expect(checkout.getByText('Complete the payment in the mini-program…').first()).toBeAttached();
      await expect(page.locator('#log li', { hasText: `${api}` }).first()).toBeAttached();
      await sheet.getByRole('button', { name: 'Pay' }).click();
      await expect(checkout.getByText(paid).first()).toBeVisible({ timeout: 15_000 });
      await expect.poll(() => logged(page, 'cashdesk-success')).toBe(1);
    });

    test('canceled in the mini-program: back on the page, still unpaid, another method keeps the order', async ({
      page,
    }) => {
      const checkout = await open(page, scenario, env, method);
      const orderId = await page.locator('#order-id').textContent();
      await checkout.getByRole('button', { name: /^Pay/ }).click();
      await page.getByRole('dialog', { name: title }).getByRole('button', { name: 'Cancel' }).click();
      // The web-view hears no result: it follows the payment, which the backend says is still pending.
      await expect(checkout.getByText('Waiting for your payment…').first()).toBeVisible();
      await checkout.getByRole('button', { name: 'Choose another method' }).click();
      await expect(checkout.getByRole('button', { name: /^Pay/ })).toBeEnabled();
      expect(await page.locator('#order-id').textContent()).toBe(orderId);
      expect(await logged(page, 'cashdesk-success')).toBe(0);
    });

    test('failed in the mini-program: never called paid; a second hand-off pays the same order', async ({ page }) => {
      const checkout = await open(page, scenario, env, method);
      await checkout.getByRole('button', { name: /^Pay/ }).click();
      await page.getByRole('dialog', { name: title }).getByRole('button', { name: 'Fail' }).click();
      await expect(checkout.getByText('Waiting for your payment…').first()).toBeVisible();
      await checkout.getByRole('button', { name: 'I have paid' }).click();
      await expect(checkout.getByText('Waiting for your payment…').first()).toBeVisible();
      expect(await logged(page, 'cashdesk-success')).toBe(0);
      await checkout.getByRole('button', { name: 'Choose another method' }).click();
      await checkout.getByRole('button', { name: /^Pay/ }).click();
      await page.getByRole('dialog', { name: title }).getByRole('button', { name: 'Pay' }).click();
      await expect(checkout.getByText(paid).first()).toBeVisible({ timeout: 15_000 });
      await expect.poll(() => logged(page, 'cashdesk-success')).toBe(1);
    });
  });
}

test('wechat-mini without jweixin: the shopper is told what is missing, the developer which script', async ({
  page,
}) => {
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  const checkout = await open(page, 'wx_lite', 'wechat-mini', 'wxpay', '&sdk=0');
  await checkout.getByRole('button', { name: /^Pay/ }).click();
  await expect(checkout.getByText(/has not loaded the mini-program’s web-view script/).first()).toBeVisible();
  await expect(checkout.getByRole('button', { name: 'Retry' })).toBeVisible();
  await expect.poll(() => warnings.join('\n')).toContain('https://res.wx.qq.com/open/js/jweixin-1.6.0.js');
});

test('wx_lite outside a mini-program (WeChat’s browser) is refused with unsupported_environment', async ({ page }) => {
  const checkout = await open(page, 'wx_lite', 'wechat', 'wxpay');
  await checkout.getByRole('button', { name: /^Pay/ }).click();
  await expect(page.locator('#log li', { hasText: 'unsupported_environment' }).first()).toBeAttached();
  await expect(checkout.getByRole('button', { name: 'Choose another method' })).toBeVisible();
});
