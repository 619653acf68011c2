// Unit and component tests in a real Chromium (Debian's, see TOOLCHAIN.md).
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { build } from 'esbuild';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

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

export default {
  files: ['test/unit/**/*.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['browser', 'development'] },
  plugins: [
    commonjsAsEsm,
    esbuildPlugin({ ts: true, target: 'es2021', tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
  ],
  browsers: [playwrightLauncher({ product: 'chromium', launchOptions: { executablePath, args: chromiumArgs } })],
  concurrency: 2,
  testFramework: { config: { timeout: 5000 } },
};
