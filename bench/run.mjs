#!/usr/bin/env node
// `npm run bench`: medians over many runs in headless Chromium (Debian's). Timings on these shared
// machines are noisy: read them as figures to compare, never as pass or fail.
import { build } from 'esbuild';
import { chromium } from 'playwright';
import { args, executablePath } from '../scripts/chromium.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
/** Fresh pages for the cold "create answer → QR" figure; its median is reported. */
const COLD = Number(process.env.BENCH_COLD ?? 5);
/** QRs followed side by side, each for five virtual minutes, for the status request counts. */
const POLL_QRS = Number(process.env.BENCH_POLL_QRS ?? 10);
const FIVE_MINUTES = 300_000;

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

const browser = await chromium.launch({ executablePath, args });

/** A page of its own browser context (its own renderer: nothing compiled or run there yet). */
async function openPage(context) {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.route('https://bench.test/**', (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/bench.js')
      return route.fulfill({ body: bundle.outputFiles[0].text, contentType: 'text/javascript' });
    if (path === '/') {
      return route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><html lang="en"><body><script src="/bench.js"></script></body></html>',
      });
    }
    // The backend is stubbed in the page (window.fetch): nothing else may reach the network.
    return route.abort();
  });
  await page.goto('https://bench.test/');
  return page;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const page = await openPage(await browser.newContext());
const results = await page.evaluate(async (runs) => {
  const { toAction, qrcodeEncode, drawQr, preloadQrEncoder, bodies, qrContent: payload, createToQr } = window.bench;
  await preloadQrEncoder();
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
  // Encode and draw: a <cashdesk-qr> gets new content, renders it, and the layout is flushed.
  // The first draw runs cold (the encoder's code never ran on this page); the rest are warm.
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
  qr.remove();
  let n = 0;
  const encode = Array.from({ length: 30 }, () =>
    perCall(() => qrcodeEncode(payload(n++), { errorCorrectionLevel: 'M' }), 10),
  );
  const own = Array.from({ length: 30 }, () => perCall(() => drawQr(payload(n++), 'M'), 10));
  rows.push({
    what: 'qrcode package encode alone, 300 chars (reference)',
    'first (ms)': '',
    'median (ms)': median(encode).toFixed(3),
  });
  rows.push({
    what: 'cashdesk drawQr (encode + path), 300 chars',
    'first (ms)': '',
    'median (ms)': median(own).toFixed(3),
  });
  rows.push({
    what: '<cashdesk-qr> encode + draw, 300 chars',
    'first (ms)': drawFirst.toFixed(3),
    'median (ms)': median(draw).toFixed(3),
    // The issue's budget: 1.5 × qrcode's own encode, here (this run's) and as the issue measured it (4.5 ms).
    reference: `≤ 1.5 × qrcode alone = ${(1.5 * median(encode)).toFixed(3)} (issue: 1.5 × 4.5 = 6.75)`,
  });
  // Create answer → QR: warm runs, a new <cashdesk-checkout> each time (the first one warms up).
  const warm = [];
  const warmRuns = Math.max(30, Math.floor(runs / 5));
  for (let i = 0; i <= warmRuns; i += 1) {
    const run = await createToQr();
    if (i > 0) warm.push(run);
  }
  return {
    rows,
    warmDom: median(warm.map((r) => r.dom)),
    warmPainted: median(warm.map((r) => r.painted)),
    warmRuns,
  };
}, RUNS);
const rows = results.rows;

// Create answer → QR, cold: the first QR of a fresh page, in a browser context of its own.
const cold = [];
for (let i = 0; i < COLD; i += 1) {
  const context = await browser.newContext();
  const fresh = await openPage(context);
  cold.push(await fresh.evaluate(() => window.bench.createToQr()));
  await context.close();
}
rows.push(
  {
    what: 'create answer → QR <svg> in DOM, layout flushed',
    'first (ms)': median(cold.map((r) => r.dom)).toFixed(3),
    'median (ms)': results.warmDom.toFixed(3),
  },
  {
    what: 'create answer → QR painted (rAF + rAF)',
    'first (ms)': median(cold.map((r) => r.painted)).toFixed(3),
    'median (ms)': results.warmPainted.toFixed(3),
  },
);

// Status requests under Playwright's virtual clock: the element's own default schedule, five
// minutes in a moment. The clock is paused before any QR is mounted, so only runFor moves it.
const clockContext = await browser.newContext();
const start = new Date('2030-01-01T00:00:00Z').getTime();
await clockContext.clock.install({ time: start });
const clockPage = await openPage(clockContext);
await clockPage.clock.pauseAt(start + 60_000);
const scheduled = await clockPage.evaluate((ms) => window.bench.scheduledRequests(ms), FIVE_MINUTES);

/** Follows `POLL_QRS` QRs for `ms` of virtual time; the status requests each one sent, as fetch saw them. */
async function followFor(ms, { hidden = false, thenVisibleFor = 0 } = {}) {
  await clockPage.evaluate(
    async ({ count, hidden }) => {
      window.bench.setHidden(hidden);
      await window.bench.mountQrs(count);
    },
    { count: POLL_QRS, hidden },
  );
  const before = await clockPage.evaluate(() => window.bench.pollCounts());
  await clockPage.clock.runFor(ms);
  const during = await clockPage.evaluate(() => window.bench.pollCounts());
  let after;
  if (thenVisibleFor > 0) {
    await clockPage.evaluate(() => window.bench.setHidden(false));
    await clockPage.clock.runFor(thenVisibleFor);
    after = await clockPage.evaluate(() => window.bench.pollCounts());
  }
  await clockPage.evaluate(() => {
    window.bench.unmountQrs();
    window.bench.setHidden(false);
  });
  const problems = [];
  for (const [name, counts] of Object.entries({ during, after })) {
    for (const c of counts ?? []) {
      // fetch's count is the one reported; the poller's own count and the answers must agree, and
      // each answer must come back with no virtual time passed (else the clock skipped ahead).
      if (c.fetched !== c.answered || c.lag !== 0) {
        problems.push(`${name} ${JSON.stringify(c)}`);
      }
    }
  }
  if (before.some((c) => c.fetched !== 0)) problems.push(`requests before the clock ran: ${JSON.stringify(before)}`);
  const summary = (counts) => {
    const xs = counts.map((c) => c.fetched);
    const low = Math.min(...xs);
    const high = Math.max(...xs);
    return `${median(xs)}${low === high ? '' : ` (${low}–${high})`}`;
  };
  return {
    during: summary(during),
    after: after && summary(after.map((c, i) => ({ fetched: c.fetched - during[i].fetched }))),
    problems,
  };
}

const visible = await followFor(FIVE_MINUTES);
const hidden = await followFor(FIVE_MINUTES, { hidden: true, thenVisibleFor: 1000 });
await clockContext.close();
rows.push(
  {
    what: 'status requests, first 5 min of a QR on screen',
    count: visible.during,
    reference: `schedule: ${scheduled} · Adyen ~54 · Hyperswitch ~150`,
  },
  { what: 'status requests, 5 min of a QR, tab hidden', count: hidden.during, reference: '0' },
  { what: '  … then visible again: requests within 1 s', count: hidden.after, reference: '1' },
);

console.table(rows, ['what', 'first (ms)', 'median (ms)', 'count', 'reference']);
console.log(`• toAction and <cashdesk-qr> rows: first = one cold call on the page; median = per call over 30 batches.
• create answer → QR: a <cashdesk-checkout> on a stubbed window.fetch; t0 when the held create answer is released,
  until the <svg> is in both shadow roots (layout flushed), then until two requestAnimationFrames later (the frame with
  the QR went out). first = median over ${COLD} fresh pages (own browser context, first QR there); median = ${results.warmRuns} warm
  runs on one page, a new element each time, removed afterwards. rAF + rAF sits on the frame grid: t0 falls just after
  a frame began, so a QR ready within one frame reads as two frames (33.3 ms at 60 Hz); the row above is the work.
• status requests: per QR, median (min–max) over ${POLL_QRS} server-rendered epay QRs (payload property) with the default
  schedule, counted where they reached the stubbed fetch, answered {status:'pending'} at once (body without a task; each
  answer is checked to come back with no virtual time passed, and each request to have been answered); Playwright's clock
  (clock.install, pauseAt, runFor(${FIVE_MINUTES})). "Hidden": document.visibilityState/hidden redefined as 'hidden' and a
  visibilitychange dispatched before the QRs are mounted (headless Chromium keeps background tabs visible).`);
for (const problem of [...visible.problems, ...hidden.problems]) console.log(`! status count check failed: ${problem}`);
await browser.close();
