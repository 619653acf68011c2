// The three builds a merchant uses, one per run of CASHDESK_FORMAT:
// - `es`: `dist/cashdesk.js`, `dist/core.js` and `dist/react.js`, ES modules for bundlers, every
//   dependency (lit, zod, qrcode, react, @lit/react) left as an import; the QR encoder stays a
//   dynamic import for the bundler to split.
// - `browser`: `dist/browser/cashdesk.js`, for `<script type="module">` without a bundler: the
//   dependencies inside, minified, the QR encoder in a chunk of its own fetched when a payment starts.
// - `iife`: `dist/cashdesk.iife.js`, the one-file script-tag build, everything inside, every named
//   export on `window.Cashdesk`.
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

/**
 * The script-tag build is one file: what the ES builds fetch lazily (`src/lazy/*.ts`) it takes from
 * the `*.static.ts` twin, a static import, so the bundle carries no lazy-module wrappers.
 */
function staticLazyModules(): Plugin {
  return {
    name: 'cashdesk-static-lazy-modules',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!/\/lazy\/[a-z-]+\.js$/.test(source)) return null;
      const twin = source.replace(/\.js$/, '.static.ts');
      return this.resolve(twin, importer, { ...options, skipSelf: true });
    },
  };
}

const format = process.env.CASHDESK_FORMAT ?? 'es';
const iife = format === 'iife';
const browser = format === 'browser';

export default defineConfig({
  publicDir: false,
  plugins: format === 'iife' ? [minifyLitCss(), staticLazyModules()] : [minifyLitCss()],
  build: {
    outDir: browser ? 'dist/browser' : 'dist',
    emptyOutDir: format === 'es',
    target: 'es2021',
    sourcemap: true,
    minify: iife || browser,
    reportCompressedSize: false,
    lib: {
      // The ES build has two more entries: `core.js`, the pure core without elements or registration,
      // and `react.js`, the React components, which import the elements from `cashdesk` (external
      // below): inlined, they would move the registration out of `cashdesk.js` into a shared chunk.
      entry:
        format === 'es'
          ? {
              cashdesk: 'src/index.ts',
              core: 'src/core.ts',
              react: 'src/react.ts',
              // The guide's class for those who show it themselves; the checkout fetches it lazily.
              'open-in-browser': 'src/elements/cashdesk-open-in-browser/cashdesk-open-in-browser.ts',
            }
          : { cashdesk: 'src/index.ts' },
      name: 'Cashdesk',
      formats: [iife ? 'iife' : 'es'],
      fileName: (_format, entryName) => (iife ? 'cashdesk.iife.js' : `${entryName}.js`),
    },
    rolldownOptions: {
      // React is the merchant's own copy (a peer dependency): two Reacts on a page break hooks.
      external:
        format === 'es'
          ? [/^lit($|\/)/, /^@lit\//, /^zod($|\/)/, /^qrcode($|\/)/, /^react($|\/)/, /^react-dom($|\/)/, /^cashdesk$/]
          : [],
      // The script tag twice on one page: the second copy steps aside, so the page keeps one set of
      // elements, one gateway registry, and Lit's Trusted Types policy is not created twice.
      output: iife
        ? { banner: 'if (!window.Cashdesk) {', footer: '}' }
        : // Vite keeps lib-mode ES output unminified for the merchant's bundler; a page loads this one as is.
          browser
          ? { minify: true }
          : {},
    },
  },
});
