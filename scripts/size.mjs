#!/usr/bin/env node
// `npm run size`: the minified, gzip and brotli size of the script-tag build, and of each
// gateway adapter's own code (its dependencies left out). `--check` fails when a budget is
// exceeded; sizes are deterministic, so the budgets belong in `npm test`.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const KB = 1024;
/**
 * Budgets in gzip bytes, as issue 6 sets them: the script-tag build with everything in it (five
 * adapters, three elements, five locales) at most 36 KB; a page that imports only `toAction` and
 * one adapter from the ES build at most 12 KB.
 */
const BUDGETS = {
  'dist/cashdesk.iife.js': 36 * KB,
  adapter: 3 * KB,
  /** A page that imports only `toAction` and one adapter from the ES build's core entry. */
  'core + one adapter': 12 * KB,
};
const ADAPTERS = ['pingpp', 'epay', 'careyshop', 'alipayplus', 'useepay'];

function sizes(bytes) {
  return {
    min: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const kb = (n) => `${(n / KB).toFixed(2)} KB`;
const rows = [];
const failures = [];

function record(name, s, budget) {
  rows.push({ name, min: kb(s.min), gzip: kb(s.gzip), brotli: kb(s.brotli), budget: budget ? kb(budget) : '' });
  if (budget && s.gzip > budget) failures.push(`${name}: ${kb(s.gzip)} gzip is over its budget of ${kb(budget)}`);
}

const iife = 'dist/cashdesk.iife.js';
record(iife, sizes(readFileSync(iife)), BUDGETS[iife]);

for (const id of ADAPTERS) {
  // The adapter's own code: everything under src/core is shared, so leave it out.
  const result = await build({
    entryPoints: [`src/gateways/${id}.ts`],
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'external-shared',
        setup(b) {
          b.onResolve({ filter: /^lit|\/core\/|\/registry\.js$/ }, (args) => ({
            path: args.path,
            external: true,
          }));
        },
      },
    ],
  });
  record(`adapter ${id}`, sizes(Buffer.from(result.outputFiles[0].contents)), BUDGETS.adapter);
}

// Tree-shaking from the ES build: only toAction, the registry, epay's adapter and the core it uses
// should remain.
const page = await build({
  stdin: {
    contents: `import { toAction, registerGateway, epay } from './dist/core.js'; registerGateway('epay', epay); globalThis.action = toAction('epay', { code: 1, qrcode: 'weixin://x' });`,
    resolveDir: '.',
  },
  bundle: true,
  minify: true,
  format: 'esm',
  write: false,
  logLevel: 'silent',
});
record(
  'core + one adapter (ES build, tree-shaken)',
  sizes(Buffer.from(page.outputFiles[0].contents)),
  BUDGETS['core + one adapter'],
);

console.table(rows);
if (process.argv.includes('--check')) {
  if (failures.length > 0) {
    for (const f of failures) console.error(`size budget exceeded: ${f}`);
    process.exit(1);
  }
  console.log('size budgets: all within budget');
}
