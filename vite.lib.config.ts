// The three builds a merchant uses, one per run of CASHDESK_FORMAT:
// - `es`: `dist/cashdesk.js`, `dist/core.js` and `dist/react.js`, ES modules for bundlers, every
//   dependency (lit, zod, qrcode, react, @lit/react) left as an import; the QR encoder stays a
//   dynamic import for the bundler to split.
// - `browser`: `dist/browser/cashdesk.js`, for `<script type="module">` without a bundler: the
//   dependencies inside, minified, the QR encoder in a chunk of its own fetched when a payment starts.
// - `iife`: `dist/cashdesk.iife.js`, the one-file script-tag build, everything inside, every named
//   export on `window.Cashdesk`.
// - `locales`: `dist/locales/<tag>.js`, the languages the script-tag build does not carry, each an
//   ES module of its own that it fetches from beside itself for the shopper's language only.
import MagicString from 'magic-string';
import { defineConfig, type Plugin, parseSync, Visitor } from 'vite';
import { BUILT_IN_LOCALES, LOCALES } from './src/i18n/messages.js';

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
 * Lit's `html` and `svg` templates keep their line breaks and indentation too. Inside a template,
 * a run of ASCII white space that holds a line break becomes one space: between tags, in a tag's
 * attributes, in text (where HTML collapses it the same way; no template here holds `<pre>` or
 * `<textarea>`, and the build fails if one does). The templates are found by parsing the module, so
 * no other string is touched, and the source map follows the edits.
 */
function minifyLitHtml(): Plugin {
  return {
    name: 'cashdesk-minify-lit-html',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !code.includes('html`')) return undefined;
      const out = new MagicString(code);
      new Visitor({
        TaggedTemplateExpression(node) {
          if (node.tag.type !== 'Identifier' || (node.tag.name !== 'html' && node.tag.name !== 'svg')) return;
          // A quasi's span holds its delimiters too: the opening '`' or '}' before the raw text.
          for (const { start, value } of node.quasi.quasis) {
            if (/<(pre|textarea)\b/i.test(value.raw))
              throw new Error(`${id}: a <pre> or <textarea> keeps its white space`);
            const text = value.raw.replace(/[ \t\r\f]*\n[ \t\n\r\f]*/g, ' ');
            if (text !== value.raw && code.startsWith(value.raw, start + 1)) {
              out.overwrite(start + 1, start + 1 + value.raw.length, text);
            }
          }
        },
      }).visit(parseSync(id, code, { lang: 'ts' }).program);
      if (!out.hasChanged()) return undefined;
      return { code: out.toString(), map: out.generateMap({ hires: true, source: id }) };
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
const locales = format === 'locales';

/** `{ja: 'src/i18n/ja.ts', …}`: every language outside the script-tag build. */
const fetchedLocales = Object.fromEntries(
  LOCALES.filter((locale) => !(BUILT_IN_LOCALES as readonly string[]).includes(locale)).map((locale) => [
    locale,
    `src/i18n/${locale}.ts`,
  ]),
);

export default defineConfig({
  publicDir: false,
  plugins:
    format === 'iife' ? [minifyLitCss(), minifyLitHtml(), staticLazyModules()] : [minifyLitCss(), minifyLitHtml()],
  build: {
    outDir: browser ? 'dist/browser' : locales ? 'dist/locales' : 'dist',
    emptyOutDir: format === 'es',
    target: 'es2021',
    sourcemap: true,
    minify: iife || browser || locales,
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
          : locales
            ? fetchedLocales
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
        : locales
          ? { minify: true, chunkFileNames: '[name]-[hash].js' }
          : // Vite keeps lib-mode ES output unminified for the merchant's bundler; a page loads this one as is.
            browser
            ? { minify: true }
            : {},
    },
  },
});
