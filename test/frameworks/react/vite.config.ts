// The React test app, built as a merchant would: `cashdesk/react` resolves through the package's
// own `exports` (Node's self-reference), so the build takes dist/, not src/.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2021' },
});
