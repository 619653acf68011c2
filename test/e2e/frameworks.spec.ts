/**
 * The package as a React 19 and a Vue 3 app use it (test/frameworks/): each app is built with Vite
 * against the built package, as a merchant's build would take it (`npm run build` first; npm test
 * runs it earlier), served with a stand-in merchant backend, and paid in Chromium. The apps write
 * what their framework handlers received into the page: that the event reached React's `on…` prop
 * or Vue's `@cashdesk-…` listener is what is checked, not only that the element fired it.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { build } from 'vite';

const APPS = ['react', 'vue'] as const;
type App = (typeof APPS)[number];

const appRoot = (app: App) => join(import.meta.dirname, '..', 'frameworks', app);

const JSON_TYPE = 'application/json';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': JSON_TYPE,
};

/** The epay answer of a QR payment, as the merchant backend passes it on. */
const CREATE_ANSWER = {
  gateway: 'epay',
  response: { code: 1, trade_no: 'T-42', qrcode: 'weixin://wxpay/bizpayurl?pr=framework' },
};

/**
 * The built app's files, and a backend whose create answers with a QR and whose status says paid
 * (after one pending answer):
 * enough for a whole payment. Any other `/api/` path is a 404, which the checkout reports as an error.
 */
function serve(dir: string): Promise<Server> {
  const statusAsked = new Map<string, number>();
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const send = (status: number, type: string, body: string | Buffer) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    // The request body is not needed, but it is read so the connection is left clean.
    for await (const _chunk of request);
    if (url.pathname === '/api/pay' && request.method === 'POST') {
      return send(200, JSON_TYPE, JSON.stringify(CREATE_ANSWER));
    }
    if (url.pathname === '/api/status') {
      // Pending once, then paid: the QR stays up long enough to be seen (at 200 ms a check, a
      // first answer of paid could end the payment between two of Playwright's looks).
      const order = url.searchParams.get('orderId') ?? '';
      const asked = (statusAsked.get(order) ?? 0) + 1;
      statusAsked.set(order, asked);
      return send(200, JSON_TYPE, JSON.stringify({ status: asked > 1 ? 'paid' : 'pending' }));
    }
    if (url.pathname.startsWith('/api/')) return send(404, 'text/plain', 'not found');
    const file = resolve(dir, `.${url.pathname === '/' ? '/index.html' : url.pathname}`);
    if (!file.startsWith(dir + sep)) return send(403, 'text/plain', 'outside the app');
    try {
      return send(200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file));
    } catch {
      return send(404, 'text/plain', 'not found');
    }
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

const servers = new Map<App, Server>();
function origin(app: App): string {
  const server = servers.get(app);
  if (!server) throw new Error(`the ${app} app is not served`);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

// One worker for the file: the apps are built once, not once per worker into the same folder.
test.describe.configure({ mode: 'default' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  for (const app of APPS) {
    await build({ configFile: join(appRoot(app), 'vite.config.ts'), logLevel: 'warn' });
    servers.set(app, await serve(join(appRoot(app), 'dist')));
  }
});

test.afterAll(async () => {
  await Promise.all([...servers.values()].map((server) => new Promise((done) => server.close(done))));
});

/** The lines the app's handlers wrote, as they stand once `expected` is among them. */
async function expectLogged(page: Page, expected: string): Promise<void> {
  // Up to the second status check on the default schedule (1.5 s, then 2 s), with room for a busy machine.
  await expect
    .poll(async () => (await page.getByTestId('log').textContent())?.split('\n'), { timeout: 15_000 })
    .toContain(expected);
}

test('React: the checkout renders and a payment reaches onStatus and onSuccess', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${origin('react')}/`);

  const checkout = page.locator('cashdesk-checkout#component');
  const pay = checkout.getByRole('button', { name: /^Pay/ });
  await expect(pay).toBeVisible();
  await pay.click();

  await expect(checkout.locator('cashdesk-qr')).toBeVisible();
  await expectLogged(page, 'status creating');
  await expectLogged(page, 'status qr');
  await expectLogged(page, 'success R-1 T-42');
  expect(errors).toEqual([]);
});

test('React 19: the bare tag takes properties and an oncashdesk-error listener', async ({ page }) => {
  await page.goto(`${origin('react')}/`);
  const checkout = page.locator('cashdesk-checkout#tag');
  // `amount` and `currency` reached the element as properties: the button shows the amount.
  const pay = checkout.getByRole('button', { name: /^Pay.*1\.00/ });
  await expect(pay).toBeVisible();
  await pay.click();
  await expectLogged(page, 'tag error http_status');
});

test('Vue: the checkout renders and a payment reaches the @cashdesk-status and @cashdesk-success listeners', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const warnings: string[] = [];
  page.on('console', (message) => {
    // Vue warns when it takes a custom element for an unresolved component.
    if (message.text().includes('Failed to resolve component')) warnings.push(message.text());
  });
  await page.goto(`${origin('vue')}/`);

  const checkout = page.locator('cashdesk-checkout');
  const pay = checkout.getByRole('button', { name: /^Pay/ });
  await expect(pay).toBeVisible();
  await pay.click();

  await expect(checkout.locator('cashdesk-qr')).toBeVisible();
  await expectLogged(page, 'status creating');
  await expectLogged(page, 'success V-1 T-42');
  expect(errors).toEqual([]);
  expect(warnings).toEqual([]);
});
