/**
 * Every kind of action walked to its end through the gallery, against the sandbox's simulators,
 * in the environments where it applies, on the production build served under the strict CSP:
 * no Content-Security-Policy violation is allowed anywhere, on any page a flow passes through.
 */
import { devices, type Page } from '@playwright/test';
import { decodeQr } from './qr-decode.js';
import { expect, test } from './strict-csp.js';

/** A device's viewport, touch and user agent, in the project's Chromium (no WebKit here). */
function phone(name: string) {
  const { defaultBrowserType: _browser, ...emulation } = devices[name] ?? {};
  return emulation;
}
const iphone = phone('iPhone 13');
const android = phone('Pixel 7');

function galleryUrl(gateway: string, scenario: string, env: string, method = 'all'): string {
  return `/?gateway=${gateway}&scenario=${scenario}&env=${env}&method=${method}&lang=en&autostart=1`;
}

async function open(page: Page, gateway: string, scenario: string, env: string, method?: string) {
  await page.goto(galleryUrl(gateway, scenario, env, method));
  const checkout = page.locator('cashdesk-checkout');
  await expect(checkout.getByRole('button', { name: /^Pay/ })).toBeEnabled();
  return checkout;
}

/** The events the gallery logged, by type. */
async function logged(page: Page, type: string): Promise<number> {
  return page.locator('#log li', { hasText: type }).count();
}

const paid = 'Payment received. Thank you!';

test.describe('desktop', () => {
  for (const [gateway, scenario, method] of [
    ['useepay', 'qr', 'alipay'],
    ['alipayplus', 'order-code', 'alipay'],
    ['careyshop', 'web', 'wxpay'],
    ['pingpp', 'wx_pub_qr', 'wxpay'],
  ] as const) {
    test(`QR: ${gateway} ${scenario} scans to what was issued, then one success`, async ({ page }) => {
      const checkout = await open(page, gateway, scenario, 'desktop', method);
      await checkout.getByRole('button', { name: /^Pay/ }).click();
      const qr = checkout.getByRole('img', { name: 'Payment QR code' });
      await expect(qr).toBeVisible();
      const issued = await page.evaluate(() => {
        const el = document.querySelector('cashdesk-checkout')?.shadowRoot?.querySelector('cashdesk-qr') as
          | (HTMLElement & { content: string })
          | null;
        return el?.content;
      });
      expect(await decodeQr(qr)).toBe(issued);
      await page.getByRole('button', { name: 'Simulate scan' }).click();
      await expect(checkout.getByText(paid).first()).toBeVisible({ timeout: 15_000 });
      await expect.poll(() => logged(page, 'cashdesk-success')).toBe(1);
    });
  }

  test('POST form: the CareyShop Alipay form reaches the gateway page signed, pays, returns, succeeds', async ({
    page,
  }) => {
    const checkout = await open(page, 'careyshop', 'web', 'desktop', 'alipay');
    const posted = page.waitForRequest(
      (r) => r.method() === 'POST' && r.url().includes('/gw/careyshop/alipay/gateway.do'),
    );
    await checkout.getByRole('button', { name: /^Pay/ }).click();
    const request = await posted;
    const fields = new URLSearchParams(request.postData() ?? '');
    expect([...fields.keys()]).toEqual([
      'biz_content',
      'app_id',
      'version',
      'format',
      'sign_type',
      'method',
      'timestamp',
      'alipay_sdk',
      'notify_url',
      'return_url',
      'charset',
      'sign',
    ]);
    // The simulator checked every field and the RSA2 signature before showing its cashier.
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.waitForURL('**/return.html?**');
    await expect(page.locator('cashdesk-checkout').getByText(paid).first()).toBeVisible({ timeout: 15_000 });
  });

  test('a failure is said by its kind, the gateway message is a detail, and another method can be chosen', async ({
    page,
  }) => {
    const checkout = await open(page, 'epay', 'error', 'desktop', 'wxpay');
    await checkout.getByRole('button', { name: /^Pay/ }).click();
    await expect(checkout.getByText('This amount is over the limit of this payment method.').first()).toBeVisible();
    await expect(checkout.locator('[part="detail"]')).toContainText('最大支付金额是50元');
    expect(await logged(page, 'cashdesk-failure')).toBe(1);
    await checkout.getByRole('button', { name: 'Choose another method' }).click();
    await expect(checkout.getByRole('button', { name: /^Pay/ })).toBeEnabled();
  });

  test('U / pending: the widget keeps polling until the wallet settles the payment', async ({ page }) => {
    const checkout = await open(page, 'alipayplus', 'in-process', 'desktop', 'alipay');
    await checkout.getByRole('button', { name: /^Pay/ }).click();
    await expect(checkout.getByText('Waiting for your payment').first()).toBeVisible();
    await expect(checkout.getByText(paid).first()).toBeVisible({ timeout: 20_000 });
    expect(await logged(page, 'cashdesk-success')).toBe(1);
  });
});

test.describe('iPhone', () => {
  test.use(iphone);

  test('redirect: epay payurl → cashier → Pay → return page → paid', async ({ page }) => {
    const checkout = await open(page, 'epay', 'payurl', 'ios', 'alipay');
    await checkout.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL('**/gw/epay/pay/submit/**');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.waitForURL('**/return.html?**');
    await expect(page.locator('cashdesk-checkout').getByText(paid).first()).toBeVisible({ timeout: 15_000 });
  });

  test('WeChat JSAPI: Ping++ wx_pub, the sheet says ok, the backend says paid, one success', async ({ page }) => {
    const checkout = await open(page, 'pingpp', 'wx_pub', 'wechat', 'wxpay');
    await checkout.getByRole('button', { name: /^Pay/ }).click();
    const sheet = page.getByRole('dialog', { name: /WeChat Pay/ });
    await expect(sheet).toBeVisible();
    await sheet.getByRole('button', { name: 'Pay' }).click();
    await expect(checkout.getByText(paid).first()).toBeVisible({ timeout: 15_000 });
    await expect.poll(() => logged(page, 'cashdesk-success')).toBe(1);
  });

  test('WeChat JSAPI: cancel returns to the methods with the same order', async ({ page }) => {
    const checkout = await open(page, 'pingpp', 'wx_pub', 'wechat', 'wxpay');
    const orderId = await page.locator('#order-id').textContent();
    await checkout.getByRole('button', { name: /^Pay/ }).click();
    const sheet = page.getByRole('dialog', { name: /WeChat Pay/ });
    await sheet.getByRole('button', { name: 'Cancel' }).click();
    await expect(checkout.getByRole('button', { name: /^Pay/ })).toBeEnabled();
    await expect(checkout.getByText(/canceled/).first()).toBeAttached();
    expect(await page.locator('#order-id').textContent()).toBe(orderId);
    expect(await logged(page, 'cashdesk-failure')).toBe(0);
  });

  test('inside WeChat, a cashier WeChat does not block is followed as on any phone', async ({ page }) => {
    // Only Alipay's and WeChat's H5 pages are blocked in WeChat (the guide for those is covered by
    // the component tests: the sandbox's pages cannot live on alipay.com).
    const checkout = await open(page, 'epay', 'payurl', 'wechat', 'alipay');
    await checkout.getByRole('button', { name: /^Pay/ }).click();
    await expect(page).toHaveURL(/gw\/epay\/pay\/submit/);
  });
});

test.describe('Android', () => {
  test.use(android);

  test('redirect: UseePay WAP cashier → Pay → return page → paid', async ({ page }) => {
    const checkout = await open(page, 'useepay', 'redirect', 'android', 'alipay');
    await checkout.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL('**/gw/useepay/cashier/**');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.waitForURL('**/return.html?**');
    await expect(page.locator('cashdesk-checkout').getByText(paid).first()).toBeVisible({ timeout: 15_000 });
  });

  test('deep link: the app does not open, the fallback QR and one app-launch-failed appear', async ({ page }) => {
    // Headless Chromium has no WeChat: the weixin: navigation goes nowhere and the page stays in front.
    const checkout = await open(page, 'epay', 'urlscheme', 'android', 'wxpay');
    await checkout.getByRole('button', { name: /^Pay/ }).click();
    await expect(checkout.getByRole('img', { name: 'Payment QR code' })).toBeVisible({ timeout: 10_000 });
    await expect(checkout.getByText('The app did not open').first()).toBeVisible();
    expect(await logged(page, 'cashdesk-app-launch-failed')).toBe(1);
  });
});

test.describe('app webview', () => {
  test.use(android);

  test('SDK token: the bridge receives it, the app reports, the backend says paid', async ({ page }) => {
    const checkout = await open(page, 'careyshop', 'app', 'app', 'alipay');
    await checkout.getByRole('button', { name: /^Pay/ }).click();
    const sheet = page.getByRole('dialog', { name: /SDK/ });
    await expect(sheet).toBeVisible();
    await sheet.getByRole('button', { name: 'Pay' }).click();
    await expect(checkout.getByText(paid).first()).toBeVisible({ timeout: 15_000 });
    expect(await logged(page, 'cashdesk-sdk-token')).toBe(1);
  });
});
