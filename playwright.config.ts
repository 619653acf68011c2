// End-to-end specs in Debian's Chromium, and the flows of test/engines in WebKit and Firefox
// (Playwright cannot download browsers here).
import { defineConfig, devices } from '@playwright/test';
import { args, executablePath } from './scripts/chromium.mjs';

const PORT = Number(process.env.E2E_PORT ?? 4179);

export default defineConfig({
  testDir: 'test/e2e',
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'reports/e2e.json' }]],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath, args },
    trace: 'off',
    baseURL: `http://127.0.0.1:${PORT}`,
  },
  webServer: {
    // The demo pages and their backend, built for production and served as a merchant would.
    command: `npx vite build --config vite.config.ts --logLevel warn && npx vite preview --config vite.config.ts --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 120_000,
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], browserName: 'chromium' } },
    // The flows again in WebKitGTK and Firefox ESR, driven over WebDriver (test/engines/driver.ts):
    // Playwright's own WebKit and Firefox cannot be installed here. A file's tests
    // run one after another, each with a browser of its own.
    { name: 'webkit', testDir: 'test/engines', fullyParallel: false },
    { name: 'firefox', testDir: 'test/engines', fullyParallel: false },
  ],
});
