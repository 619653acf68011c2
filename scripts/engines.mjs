// The three engines the suites run in, all from Debian's packages:
// Chromium, WebKitGTK's MiniBrowser driven by WebKitWebDriver, and Firefox ESR over WebDriver BiDi.
// Each path can be overridden for another machine.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

export const ENGINES = ['chromium', 'webkit', 'firefox'];

export const webkit = {
  driver: process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver',
  browser: process.env.WEBKIT_BROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
};
export const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** WebDriver capabilities for MiniBrowser in automation mode. */
export function webkitCapabilities() {
  return {
    browserName: 'MiniBrowser',
    // WebdriverIO 9 asks for a BiDi socket by default; WebKitWebDriver 2.50 refuses any session that does.
    'wdio:enforceWebDriverClassic': true,
    'webkitgtk:browserOptions': { binary: webkit.browser, args: ['--automation'] },
  };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts WebKitWebDriver on a free port inside its own virtual display (MiniBrowser has no
 * headless mode), waits until it answers `/status`, and returns its port and a stop function that
 * ends the driver, its browsers and the display together.
 */
export async function startWebkitDriver() {
  const port = await freePort();
  // `xvfb-run -a` picks a free display; a process group of its own lets one signal end all of it.
  const child = spawn('xvfb-run', ['-a', webkit.driver, `--port=${port}`, '--host=127.0.0.1'], {
    detached: true,
    stdio: 'ignore',
  });
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', stop);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const answer = await fetch(`http://127.0.0.1:${port}/status`);
      if (answer.ok) break;
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      stop();
      throw new Error(`WebKitWebDriver did not start on port ${port} (is webkit2gtk-driver installed?)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { port, stop };
}
