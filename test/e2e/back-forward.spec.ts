/**
 * The shopper leaves for the gateway's page and comes back with the back button: the page is
 * restored from the back-forward cache, and the checkout must be usable and ask the backend.
 */

import config from '../../playwright.config.js';
import { expect, test } from './strict-csp.js';

// Playwright turns the back-forward cache off by default; this spec is about it, so turn it on.
test.use({
  launchOptions: { ...config.use?.launchOptions, ignoreDefaultArgs: ['--disable-back-forward-cache'] },
});

test('a back-forward cache round trip leaves the checkout usable and re-checks the status', async ({ page }) => {
  const statusChecks: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/status')) statusChecks.push(request.url());
  });
  // The backend answers with a redirect to a "gateway" page on the same server.
  await page.route('**/api/pay', (route) =>
    route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({
        gateway: 'epay',
        response: { code: 1, trade_no: '1', payurl: new URL('/playground.html', page.url()).href },
      }),
    }),
  );
  await page.goto('/?gateway=epay&scenario=qrcode&env=desktop&autostart=1');
  await page.evaluate(() => {
    window.addEventListener('pageshow', (event) => {
      (window as unknown as { restored?: boolean }).restored = event.persisted;
    });
  });
  const checkout = page.locator('cashdesk-checkout');
  await checkout.getByRole('button', { name: /^Pay/ }).click();
  await page.waitForURL('**/playground.html');
  const checksBefore = statusChecks.length;

  // A page restored from the cache fires pageshow, not load.
  await page.goBack({ waitUntil: 'commit' });
  await expect.poll(() => page.evaluate(() => (window as unknown as { restored?: boolean }).restored)).toBe(true);
  // No stuck spinner: the methods can be chosen again, and the backend was asked at once.
  await expect(checkout.getByRole('button', { name: 'Choose another method' })).toBeEnabled();
  await expect(checkout.getByRole('button', { name: 'I have paid' })).toBeEnabled();
  await expect.poll(() => statusChecks.length).toBeGreaterThan(checksBefore);
  await checkout.getByRole('button', { name: 'Choose another method' }).click();
  await expect(checkout.getByRole('button', { name: /^Pay/ })).toBeEnabled();
});
