// Unit and component tests in a real Chromium (Debian's, see TOOLCHAIN.md).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { build } from 'esbuild';
import { args as chromiumArgs, executablePath } from './scripts/chromium.mjs';

/** qrcode is CommonJS: serve its files as ESM bundles, which is what Vite does for the build. */
const commonjsAsEsm = {
  name: 'cashdesk-commonjs-as-esm',
  async serve(context) {
    if (!context.path.includes('/node_modules/qrcode/')) return undefined;
    const file = fileURLToPath(new URL(`.${context.path}`, import.meta.url));
    const result = await build({ entryPoints: [file], bundle: true, format: 'esm', write: false, logLevel: 'silent' });
    return { body: result.outputFiles[0].text, type: 'js' };
  },
};

/** Writes the counts to reports/unit.json, for the one summary line `npm test` ends with. */
function countsReporter() {
  const count = (suite, totals) => {
    for (const t of suite.tests) totals[t.skipped ? 'skipped' : t.passed ? 'passed' : 'failed'] += 1;
    for (const child of suite.suites) count(child, totals);
    return totals;
  };
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        if (session.testResults) count(session.testResults, totals);
        // A file that failed to load has no results: count it as a failure, never as nothing.
        if (!session.passed && totals.failed === 0) totals.failed += 1;
      }
      mkdirSync('reports', { recursive: true });
      writeFileSync('reports/unit.json', JSON.stringify(totals));
    },
  };
}

export default {
  files: ['test/unit/**/*.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['browser', 'development'] },
  plugins: [
    commonjsAsEsm,
    esbuildPlugin({ ts: true, target: 'es2021', tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
  ],
  browsers: [playwrightLauncher({ product: 'chromium', launchOptions: { executablePath, args: chromiumArgs } })],
  concurrency: 2,
  reporters: [defaultReporter(), countsReporter()],
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  testFramework: { config: { timeout: 5000 } },
};
