#!/usr/bin/env node
// The tests that run in Node, where there is no DOM: the flow's rules (`test/flow/`) and the
// sandbox backend's security over real HTTP (`test/server/`). Each `*.test.ts` is bundled with
// esbuild (TypeScript and the `.js` import specifiers resolved as Vite does) and run by `node --test`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const out = 'reports/flow-build';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const files = ['test/flow', 'test/server'].flatMap((dir) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => `${dir}/${name}`),
);
await build({
  entryPoints: files,
  outbase: 'test',
  outdir: out,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The sandbox's own dependencies (vite's types only) stay outside the bundle.
  packages: 'external',
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
    ...files.map((file) => `${out}/${file.replace(/^test\//, '').replace(/\.ts$/, '.mjs')}`),
  ],
  { stdio: 'inherit' },
);
process.exit(run.status ?? 1);
