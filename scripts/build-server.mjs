#!/usr/bin/env node
// `dist/server.js`: cashdesk/server for Node 20+ and Fetch-API runtimes, one ES module with
// node:crypto left as an import. Its declarations come from tsconfig.server.json.
import { build } from 'esbuild';

await build({
  entryPoints: { server: 'src/server/index.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
