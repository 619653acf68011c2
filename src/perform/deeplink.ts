/**
 * The `deeplink` action: hand a `weixin://` link to the OS and find out whether an app took it.
 * A page cannot ask "is WeChat installed?"; the only signal is that the page loses the shopper
 * (hidden, unloaded or unfocused) shortly after the link is followed.
 */
import { CheckoutError } from '../core/errors.js';
import type { DeeplinkAction } from '../core/next-action.js';
import { checkDeeplink } from '../core/safe-url.js';
import { navigation } from './navigation.js';

/** `left`: an app came to the front. `stayed`: nothing did (not installed, or the webview blocked it). */
export type DeeplinkOutcome = 'left' | 'stayed';

export const DEEPLINK_TIMEOUT = 2500;

export interface DeeplinkOptions {
  /** How long to wait for the page to lose the shopper, in milliseconds (default 2500). */
  timeout?: number;
  signal?: AbortSignal;
  /** The page that follows the link; defaults to the global `document` and `window`. */
  target?: { document: Document; window: Window };
}

/**
 * Follows `action.url` (checked with `checkDeeplink`: `weixin:` only) and resolves `left` as soon as
 * the page becomes hidden, or `pagehide` or `blur` fires, within `timeout`; `stayed` when the page
 * is still visible (and, if it had focus, still focused) when the time is up. `fallbackUrl` is the
 * caller's to offer on `stayed`.
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

    const cleanup = () => {
      if (timer !== undefined) win.clearTimeout(timer);
      doc.removeEventListener('visibilitychange', onVisibility);
      win.removeEventListener('pagehide', onLeave);
      win.removeEventListener('blur', onLeave);
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
    function onVisibility() {
      if (doc.visibilityState === 'hidden') settle('left');
    }
    function onLeave() {
      settle('left');
    }
    function onAbort() {
      fail(new CheckoutError('aborted', 'the deep link was aborted'));
    }

    // Listening before navigating: an app can take over (and blur the page) while assign runs.
    doc.addEventListener('visibilitychange', onVisibility);
    win.addEventListener('pagehide', onLeave);
    win.addEventListener('blur', onLeave);
    signal?.addEventListener('abort', onAbort);
    timer = win.setTimeout(() => {
      timer = undefined;
      const lostFocus = hadFocus && !doc.hasFocus();
      settle(doc.visibilityState === 'hidden' || lostFocus ? 'left' : 'stayed');
    }, timeout);

    try {
      navigation.assign(url, win);
    } catch (error) {
      fail(error);
    }
  });
}
