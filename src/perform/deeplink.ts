/**
 * The `deeplink` action: hand a wallet app's link (`weixin://`, `alipays://`) to the OS and find out whether an app took it.
 * A page cannot ask "is WeChat installed?"; the only signal is that the page is hidden or unloaded
 * shortly after the link is followed. Losing focus alone says nothing: iOS asks "Open this page in
 * WeChat?" and, without the app, says the address is invalid, and both dialogs take the focus.
 */
import { CheckoutError } from '../core/errors.js';
import type { DeeplinkAction } from '../core/next-action.js';
import { checkDeeplink } from '../core/safe-url.js';
import { navigation } from './navigation.js';

/** `left`: an app came to the front. `stayed`: nothing did (not installed, or the webview blocked it). */
export type DeeplinkOutcome = 'left' | 'stayed';

export const DEEPLINK_TIMEOUT = 2500;
/**
 * How much longer a dialog still holding the focus is waited for. Past it the page is taken to
 * have stayed: a frame whose parent took the focus, or a webview that never gives it back, must
 * not leave the shopper on "Opening the app…" without the fallback.
 */
export const DEEPLINK_DIALOG_WAIT = 12_500;

export interface DeeplinkOptions {
  /** How long to wait for the page to lose the shopper, in milliseconds (default 2500). */
  timeout?: number;
  /** How much longer to wait when a dialog still has the focus then (default 12500). */
  dialogWait?: number;
  signal?: AbortSignal;
  /** The page that follows the link; defaults to the global `document` and `window`. */
  target?: { document: Document; window: Window };
}

/**
 * Follows `action.url` (checked with `checkDeeplink`: wallet app schemes only) and resolves `left` as soon as
 * the page becomes hidden without being unloaded; `stayed` when the page is still visible and focused
 * when `timeout` is up. If a dialog still holds the focus then, the answer waits for it to close:
 * hidden (the shopper said "Open") is `left`, the focus back (cancelled, or no app) is `stayed`,
 * and so is still no answer after `dialogWait`.
 * `fallbackUrl` is the caller's to offer on `stayed`.
 *
 * Every listener and the timer are removed when it settles or is aborted; an abort rejects with
 * `CheckoutError('aborted')`. A refused URL rejects without navigating.
 */
export function openDeeplink(action: DeeplinkAction, options: DeeplinkOptions = {}): Promise<DeeplinkOutcome> {
  const doc = options.target?.document ?? document;
  const win = options.target?.window ?? window;
  const { signal } = options;
  const timeout = Math.max(0, options.timeout ?? DEEPLINK_TIMEOUT);

  return new Promise<DeeplinkOutcome>((resolve, reject) => {
    const url = checkDeeplink(action.url);
    if (signal?.aborted) throw new CheckoutError('aborted', 'the deep link was aborted');

    const hadFocus = doc.hasFocus();
    let timer: number | undefined;
    let settled = false;
    let waitingForFocus = false;

    const cleanup = () => {
      if (timer !== undefined) win.clearTimeout(timer);
      doc.removeEventListener('visibilitychange', onVisibility);
      win.removeEventListener('pagehide', onUnload);
      win.removeEventListener('pageshow', onShow);
      win.removeEventListener('focus', onFocus);
      signal?.removeEventListener('abort', onAbort);
    };
    const settle = (outcome: DeeplinkOutcome) => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(outcome);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(error);
    };
    // An app that takes the link only hides the page. A page that is unloaded (pagehide comes
    // before hidden, as HTML's unload steps order them) was navigated in place: WebKitGTK and an
    // Android WebView without a handler show an error page there. That is no app; back from it
    // (the page restored from the back-forward cache), the answer is "stayed".
    let unloaded = false;
    function onVisibility() {
      if (doc.visibilityState === 'hidden' && !unloaded) settle('left');
    }
    function onUnload() {
      unloaded = true;
    }
    function onShow() {
      if (unloaded) settle('stayed');
    }
    function onFocus() {
      if (waitingForFocus) settle('stayed');
    }
    function onAbort() {
      fail(new CheckoutError('aborted', 'the deep link was aborted'));
    }

    // Listening before navigating: an app can take over (and blur the page) while assign runs.
    doc.addEventListener('visibilitychange', onVisibility);
    win.addEventListener('pagehide', onUnload);
    win.addEventListener('pageshow', onShow);
    win.addEventListener('focus', onFocus);
    signal?.addEventListener('abort', onAbort);
    timer = win.setTimeout(() => {
      timer = undefined;
      if (unloaded) return;
      if (doc.visibilityState === 'hidden') settle('left');
      else if (hadFocus && !doc.hasFocus()) {
        waitingForFocus = true;
        timer = win.setTimeout(
          () => {
            timer = undefined;
            settle(doc.visibilityState === 'hidden' ? 'left' : 'stayed');
          },
          Math.max(0, options.dialogWait ?? DEEPLINK_DIALOG_WAIT),
        );
      } else settle('stayed');
    }, timeout);

    try {
      navigation.assign(url, win);
    } catch (error) {
      fail(error);
    }
  });
}
