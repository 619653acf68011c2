// `npm start`: the demo pages, served from source with hot reload.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { strictCsp } from './demo/csp.js';
import { sandbox } from './demo/sandbox/index.js';

export default defineConfig({
  root: 'demo',
  // The dev server keeps Vite's inline HMR client; the production preview is served under the strict CSP.
  plugins: [strictCsp(), sandbox()],
  build: {
    // DEMO_OUT_DIR lets parallel end-to-end runs build and serve without sharing a folder.
    outDir: process.env.DEMO_OUT_DIR ?? resolve(import.meta.dirname, 'dist/demo'),
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        index: resolve(import.meta.dirname, 'demo/index.html'),
        playground: resolve(import.meta.dirname, 'demo/playground.html'),
        return: resolve(import.meta.dirname, 'demo/return.html'),
      },
    },
  },
  server: {
    host: process.env.HOST ?? '127.0.0.1',
    port: Number(process.env.PORT ?? 5173),
    strictPort: false,
    fs: { allow: ['..'] },
  },
  preview: {
    host: process.env.HOST ?? '127.0.0.1',
    port: Number(process.env.PORT ?? 4173),
  },
});
