// Unit and component tests in a real browser: Chromium by default, or the engine named by
// CASHDESK_ENGINE (`webkit`, `firefox`), all Debian's.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import { build } from 'esbuild';
import { args as chromiumArgs, executablePath } from './scripts/chromium.mjs';
import { ENGINES, firefoxPath, startWebkitDriver, webkitCapabilities } from './scripts/engines.mjs';

const engine = process.env.CASHDESK_ENGINE ?? 'chromium';
if (!ENGINES.includes(engine)) throw new Error(`CASHDESK_ENGINE must be one of ${ENGINES.join(', ')}`);

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

/**
 * Writes this engine's counts to reports/unit-<engine>.json, for the closing lines `npm test` ends
 * with, and the names of the tests skipped there with their reasons.
 */
function countsReporter() {
  const count = (suite, totals, path) => {
    for (const t of suite.tests) {
      const outcome = t.skipped ? 'skipped' : t.passed ? 'passed' : 'failed';
      totals[outcome] += 1;
      if (t.skipped) totals.skippedTests.push([...path, t.name].join(' > '));
    }
    for (const child of suite.suites) count(child, totals, [...path, child.name]);
  };
  return {
    onTestRunFinished({ sessions }) {
      const totals = { engine, passed: 0, failed: 0, skipped: 0, skippedTests: [] };
      for (const session of sessions) {
        const failedBefore = totals.failed;
        if (session.testResults) count(session.testResults, totals, []);
        // A file that failed to load or hung has no failed test of its own: it counts as one
        // failure, whatever the other files did.
        if (!session.passed && totals.failed === failedBefore) totals.failed += 1;
      }
      mkdirSync('reports', { recursive: true });
      writeFileSync(`reports/unit-${engine}.json`, JSON.stringify(totals));
    },
  };
}

async function browsersFor(name) {
  if (name === 'webkit') {
    const { port } = await startWebkitDriver();
    return [
      webdriverLauncher({
        automationProtocol: 'webdriver',
        hostname: '127.0.0.1',
        port,
        capabilities: webkitCapabilities(),
      }),
    ];
  }
  if (name === 'firefox') {
    return [
      chromeLauncher({
        puppeteer: puppeteerCore,
        launchOptions: { browser: 'firefox', executablePath: firefoxPath, headless: true },
      }),
    ];
  }
  return [playwrightLauncher({ product: 'chromium', launchOptions: { executablePath, args: chromiumArgs } })];
}

export default {
  files: ['test/unit/**/*.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['browser', 'development'] },
  plugins: [
    commonjsAsEsm,
    esbuildPlugin({ ts: true, target: 'es2021', tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
  ],
  browsers: await browsersFor(engine),
  // WebKitWebDriver is reliable with one page at a time; Firefox throttles the timers of a second
  // page opened as a background tab.
  concurrency: engine === 'chromium' ? 2 : 1,
  reporters: [defaultReporter(), countsReporter()],
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  testFramework: { config: { timeout: 5000 } },
};
