// The two builds a merchant uses: `dist/cashdesk.js` (ES module for bundlers, dependencies left
// as imports) and `dist/cashdesk.iife.js` (the script-tag build, everything inside, exposing every
// named export on `window.Cashdesk`). Run once per format: CASHDESK_FORMAT=es | iife.
import { defineConfig } from 'vite';

const iife = process.env.CASHDESK_FORMAT === 'iife';

export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: !iife,
    target: 'es2021',
    sourcemap: true,
    minify: iife,
    reportCompressedSize: false,
    lib: {
      entry: 'src/index.ts',
      name: 'Cashdesk',
      formats: [iife ? 'iife' : 'es'],
      fileName: () => (iife ? 'cashdesk.iife.js' : 'cashdesk.js'),
    },
    rolldownOptions: {
      external: iife ? [] : [/^lit($|\/)/, /^@lit\//, /^qrcode($|\/)/, /^zod($|\/)/],
    },
  },
});
