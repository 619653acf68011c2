// Installable as documented: the package is packed (`npm pack`), installed from the tarball into a
// fresh project, and used from there three ways: the ES import in Node, the one-file IIFE in a
// `<script>`, and the module build in a `<script type="module">` with its lazy chunks, both in
// Debian's Chromium.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright';
import { args, executablePath } from '../../scripts/chromium.mjs';

const root = new URL('../..', import.meta.url).pathname;
let project;
let server;
let base;

before(async () => {
  project = mkdtempSync(join(tmpdir(), 'cashdesk-pack-'));
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', project], { cwd: root, encoding: 'utf8' }),
  );
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(project, packed.filename)], {
    cwd: project,
    stdio: 'ignore',
  });
  // The shop's pages, and the installed package's files under /node_modules/cashdesk/.
  const pages = {
    '/iife.html': '<!doctype html><script src="/node_modules/cashdesk/dist/cashdesk.iife.js"></script>',
    '/module.html':
      '<!doctype html><script type="module" src="/node_modules/cashdesk/dist/browser/cashdesk.js"></script>',
  };
  server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (pages[path]) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(pages[path]);
      return;
    }
    const file = normalize(join(project, path));
    if (!file.startsWith(join(project, 'node_modules', 'cashdesk'))) {
      res.writeHead(404);
      res.end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': extname(file) === '.js' ? 'text/javascript' : 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => {
  server?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

test('the packed package holds what a merchant needs, and nothing of the source tree', () => {
  const listed = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: root, encoding: 'utf8' }),
  )[0].files.map((f) => f.path);
  for (const file of [
    'dist/cashdesk.js',
    'dist/core.js',
    'dist/cashdesk.iife.js',
    'dist/browser/cashdesk.js',
    'dist/types/index.d.ts',
    'dist/server.js',
    'dist/types/server/index.d.ts',
    'custom-elements.json',
  ]) {
    assert.ok(listed.includes(file), `${file} is in the package`);
  }
  assert.ok(!listed.some((file) => file.startsWith('src/') || file.startsWith('test/')), 'no source or tests');
});

test('the ES import works from the installed package in Node', () => {
  const out = execFileSync(
    'node',
    [
      '--input-type=module',
      '-e',
      "const c = await import('cashdesk'); const core = await import('cashdesk/core'); core.registerGateway('epay', core.epay); await c.loadGateways(); console.log(JSON.stringify([typeof c.CashdeskCheckout, c.toAction('epay', { code: 1, qrcode: 'weixin://wxpay/bizpayurl?pr=x' }).kind, core.toAction('epay', { code: -4 }).code]));",
    ],
    { cwd: project, encoding: 'utf8' },
  );
  assert.deepEqual(JSON.parse(out), ['function', 'qr', '-4']);
});

test('cashdesk/server from the installed package answers as the widget expects, in Node', () => {
  const out = execFileSync(
    'node',
    [
      '--input-type=module',
      '-e',
      `const { createCashdeskServer, epay, MemoryOrderStore } = await import('cashdesk/server');
       const orders = new MemoryOrderStore();
       const server = createCashdeskServer({ origin: 'https://shop.example', orders,
         gateways: [epay({ pid: '1001', key: 'k', baseUrl: 'https://pay.example/' })] });
       const order = orders.create({ amount: 100, currency: 'CNY', subject: 'x', gateway: 'epay' });
       const answer = await server.fetch(new Request('https://shop.example/api/status?orderId=' + order.orderId));
       const forged = await server.fetch(new Request('https://shop.example/api/notify/epay?pid=1001&trade_status=TRADE_SUCCESS&sign=x'));
       console.log(JSON.stringify([answer.status, await answer.json(), forged.status, orders.get(order.orderId).status]));`,
    ],
    { cwd: project, encoding: 'utf8' },
  );
  assert.deepEqual(JSON.parse(out), [200, { status: 'pending' }, 400, 'pending']);
});

test('the IIFE and the module build from the installed package draw a checkout with its QR in Chromium', async () => {
  const browser = await chromium.launch({ executablePath, args });
  try {
    for (const page of ['/iife.html', '/module.html']) {
      const tab = await browser.newPage();
      const errors = [];
      tab.on('pageerror', (error) => errors.push(error.message));
      await tab.goto(`${base}${page}`);
      await tab.waitForFunction(() => customElements.get('cashdesk-checkout') !== undefined);
      // A server-rendered payload: the QR needs the encoder, a lazy chunk in the module build.
      await tab.evaluate(() => {
        const checkout = document.createElement('cashdesk-checkout');
        checkout.setAttribute('lang', 'en');
        checkout.payload = {
          gateway: 'epay',
          response: { code: 1, trade_no: '1', qrcode: 'weixin://wxpay/bizpayurl?pr=abc' },
        };
        document.body.append(checkout);
      });
      await tab.locator('cashdesk-checkout').getByRole('img', { name: 'Payment QR code' }).waitFor({ timeout: 10_000 });
      assert.deepEqual(errors, [], `${page}: no page error`);
      await tab.close();
    }
  } finally {
    await browser.close();
  }
});
