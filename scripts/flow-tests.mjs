#!/usr/bin/env node
// The flow's tests run in Node, where there is no DOM: each `test/flow/*.test.ts` is bundled with
// esbuild (TypeScript and the `.js` import specifiers resolved as Vite does) and run by `node --test`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const out = 'reports/flow-build';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const files = readdirSync('test/flow').filter((name) => name.endsWith('.test.ts'));
await build({
  entryPoints: files.map((name) => `test/flow/${name}`),
  outdir: out,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
const run = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    '--test-reporter-destination=reports/flow.tap',
    ...files.map((name) => `${out}/${name.replace(/\.ts$/, '.mjs')}`),
  ],
  { stdio: 'inherit' },
);
process.exit(run.status ?? 1);
