// The Vue test app, built as a merchant would: `cashdesk` resolves through the package's own
// `exports` (Node's self-reference), so the build takes dist/, not src/.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  logLevel: 'warn',
  // The build with Vue's template compiler: the app's template is compiled in the browser.
  resolve: { alias: { vue: 'vue/dist/vue.esm-bundler.js' } },
  // Vue's esm-bundler build reads these flags; set, they silence its warnings and drop dev tools.
  define: {
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2021' },
});
