// The two builds a merchant uses: `dist/cashdesk.js` (ES module for bundlers, dependencies left
// as imports) and `dist/cashdesk.iife.js` (the script-tag build, everything inside, exposing every
// named export on `window.Cashdesk`). Run once per format: CASHDESK_FORMAT=es | iife.
import { defineConfig, type Plugin } from 'vite';

/**
 * Lit's `css` templates reach the bundle as written, comments and indentation included. This
 * strips both from the elements' style modules; it only removes comments and collapses white
 * space around braces and semicolons, which never changes what a rule means.
 */
function minifyLitCss(): Plugin {
  const squeeze = (text: string) =>
    text
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/\s*([{};])\s*/g, '$1')
      .trim();
  return {
    name: 'cashdesk-minify-lit-css',
    transform(code, id) {
      if (!id.endsWith('.styles.ts')) return undefined;
      return { code: code.replace(/css`([^`$]*)`/g, (_match, body: string) => `css\`${squeeze(body)}\``), map: null };
    },
  };
}

const iife = process.env.CASHDESK_FORMAT === 'iife';

export default defineConfig({
  publicDir: false,
  plugins: [minifyLitCss()],
  build: {
    outDir: 'dist',
    emptyOutDir: !iife,
    target: 'es2021',
    sourcemap: true,
    minify: iife,
    reportCompressedSize: false,
    lib: {
      // The ES build has a second entry, `core.js`: the pure core without elements or registration.
      entry: iife ? { cashdesk: 'src/index.ts' } : { cashdesk: 'src/index.ts', core: 'src/core.ts' },
      name: 'Cashdesk',
      formats: [iife ? 'iife' : 'es'],
      fileName: (_format, entryName) => (iife ? 'cashdesk.iife.js' : `${entryName}.js`),
    },
    rolldownOptions: {
      external: iife ? [] : [/^lit($|\/)/, /^@lit\//],
      // The script tag twice on one page: the second copy steps aside, so the page keeps one set of
      // elements, one gateway registry, and Lit's Trusted Types policy is not created twice.
      output: iife ? { banner: 'if (!window.Cashdesk) {', footer: '}' } : {},
    },
  },
});
