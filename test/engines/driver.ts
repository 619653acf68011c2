/**
 * One small interface over the browsers the end-to-end flows run in outside Playwright's own:
 * WebKitGTK through WebKitWebDriver (WebdriverIO, WebDriver classic) and Firefox ESR through
 * puppeteer-core (WebDriver BiDi). Playwright cannot drive either here. Clicks are
 * the drivers' own element clicks; elements inside shadow roots are found by a path of selectors.
 */
import { puppeteerCore } from '@web/test-runner-chrome';
import { remote } from 'webdriverio';
// @ts-expect-error: a plain ES module of the project's scripts, without types.
import { firefoxPath, startWebkitDriver, webkitCapabilities } from '../../scripts/engines.mjs';

export type Engine = 'webkit' | 'firefox';

/** `['cashdesk-checkout', '[part=button]']`: each selector inside the shadow root of the one before. */
export type DeepSelector = readonly string[];

export interface Driver {
  readonly engine: Engine;
  goto(url: string): Promise<void>;
  url(): Promise<string>;
  /** Runs `fn` in the page with JSON arguments; returns its JSON result. */
  evaluate<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>>;
  click(path: DeepSelector): Promise<void>;
  /** A PNG of the viewport. */
  screenshot(): Promise<Buffer>;
  back(): Promise<void>;
  close(): Promise<void>;
}

/** Finds the element at the end of a shadow path, in the page (serialised into it: no closures). */
function findDeep(path: readonly string[]): Element | null {
  let scope: ParentNode = document;
  let found: Element | null = null;
  for (const selector of path) {
    found = scope.querySelector(selector);
    if (found === null) return null;
    scope = found.shadowRoot ?? found;
  }
  return found;
}

export async function openWebkit(): Promise<Driver> {
  const { port, stop } = await startWebkitDriver();
  const browser = await remote({
    hostname: '127.0.0.1',
    port,
    path: '/',
    logLevel: 'error',
    capabilities: webkitCapabilities(),
  });
  return {
    engine: 'webkit',
    goto: async (url) => {
      await browser.url(url);
    },
    url: () => browser.getUrl(),
    evaluate: (fn, ...args) => browser.execute(fn as never, ...(args as unknown as never[])) as never,
    click: async (path) => {
      const element = await browser.execute(findDeep as never, path as never);
      if (element === null) throw new Error(`nothing at ${path.join(' >> ')}`);
      await (await browser.$(element as never)).click();
    },
    screenshot: async () => Buffer.from(await browser.takeScreenshot(), 'base64'),
    back: () => browser.back(),
    close: async () => {
      try {
        await browser.deleteSession();
      } finally {
        stop();
      }
    },
  };
}

export async function openFirefox(): Promise<Driver> {
  const browser = await puppeteerCore.launch({
    browser: 'firefox',
    executablePath: firefoxPath,
    headless: true,
  });
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  await page.setViewport({ width: 1280, height: 800 });
  return {
    engine: 'firefox',
    goto: async (url) => {
      await page.goto(url);
    },
    url: async () => page.url(),
    evaluate: (fn, ...args) => page.evaluate(fn as never, ...(args as unknown as never[])) as never,
    click: async (path) => {
      const handle = await page.evaluateHandle(findDeep, path);
      const element = handle.asElement();
      if (element === null) throw new Error(`nothing at ${path.join(' >> ')}`);
      await (element as puppeteerCore.ElementHandle<Element>).click();
    },
    screenshot: async () => Buffer.from(await page.screenshot({ type: 'png' })),
    back: async () => {
      await page.goBack();
    },
    close: () => browser.close(),
  };
}

export function openEngine(engine: Engine): Promise<Driver> {
  return engine === 'webkit' ? openWebkit() : openFirefox();
}
