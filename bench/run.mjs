#!/usr/bin/env node
// `npm run bench`: medians over many runs in headless Chromium (Debian's). Timings on these shared
// machines are noisy: read them as figures to compare, never as pass or fail.
import { build } from 'esbuild';
import { chromium } from 'playwright';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);

const bundle = await build({
  entryPoints: ['bench/entry.ts'],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2021',
  write: false,
  logLevel: 'silent',
  tsconfig: 'tsconfig.json',
  conditions: ['production'],
  define: { 'process.env.NODE_ENV': '"production"' },
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const page = await browser.newPage();
await page.route('https://bench.test/**', (route) => {
  const path = new URL(route.request().url()).pathname;
  if (path === '/bench.js') return route.fulfill({ body: bundle.outputFiles[0].text, contentType: 'text/javascript' });
  return route.fulfill({
    contentType: 'text/html',
    body: '<!doctype html><html lang="en"><body><script src="/bench.js"></script></body></html>',
  });
});
await page.goto('https://bench.test/');

const results = await page.evaluate(async (runs) => {
  const { toAction, encodeQr, bodies } = window.bench;
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
  };
  // The clock is coarse (0.1 ms without cross-origin isolation): time batches, report per call.
  const perCall = (fn, batch) => {
    const t0 = performance.now();
    for (let i = 0; i < batch; i += 1) fn(i);
    return (performance.now() - t0) / batch;
  };
  const time = (fn) => perCall(fn, 1);
  const rows = [];
  for (const [name, [gateway, body]] of Object.entries(bodies)) {
    // Warm up, then measure: the first call also builds the adapter's schemas.
    const first = time(() => toAction(gateway, body));
    for (let i = 0; i < 20; i += 1) toAction(gateway, body);
    const xs = Array.from({ length: 30 }, () =>
      perCall(() => toAction(gateway, body), Math.max(1, Math.floor(runs / 4))),
    );
    rows.push({ what: `toAction ${name}`, 'first (ms)': first.toFixed(3), 'median (ms)': median(xs).toFixed(3) });
  }
  const payload = (i) => `https://qr.example/pay?${String(i).padStart(6, '0')}&${'x'.repeat(300)}`.slice(0, 300);
  // Encode and draw: a <cashdesk-qr> gets new content, renders it, and the layout is flushed.
  // The first draw runs cold (qrcode's code never ran on this page); the rest are warm.
  const qr = document.createElement('cashdesk-qr');
  document.body.append(qr);
  await qr.updateComplete;
  const draw = [];
  let drawFirst = 0;
  for (let i = 0; i <= 60; i += 1) {
    const t0 = performance.now();
    qr.content = payload(1000 + i);
    await qr.updateComplete;
    qr.shadowRoot.querySelector('svg')?.getBoundingClientRect();
    const dt = performance.now() - t0;
    if (i === 0) drawFirst = dt;
    else draw.push(dt);
  }
  let n = 0;
  const encode = Array.from({ length: 30 }, () =>
    perCall(() => encodeQr(payload(n++), { errorCorrectionLevel: 'M' }), 10),
  );
  rows.push({
    what: 'qrcode encode alone, 300 chars (reference)',
    'first (ms)': '',
    'median (ms)': median(encode).toFixed(3),
  });
  rows.push({
    what: '<cashdesk-qr> encode + draw, 300 chars',
    'first (ms)': drawFirst.toFixed(3),
    'median (ms)': median(draw).toFixed(3),
  });
  return rows;
}, RUNS);

console.table(results);
await browser.close();
