/**
 * A top-level GET navigation to a gateway's page (the `redirect` action).
 */
import type { RedirectAction } from '../core/next-action.js';
import { checkWebUrl } from '../core/safe-url.js';
import { framedTop, isSecurityError, navigation, type PerformOptions } from './navigation.js';

/**
 * Leaves the page for `action.url`. The URL is checked again here, right before navigating, even
 * though the adapter checked it: an action can be built or edited by hand (a merchant's
 * `cashdesk-action` handler, the headless API), and a `javascript:` or `data:` target must never
 * reach `location`, nor an Alipay URL be swapped for another host (`action.hosts`). Throws `CheckoutError` (`unsafe_url_scheme`, `relative_url`, `invalid_url`,
 * `too_large`) without navigating.
 *
 * With `top: true` inside a frame, the top window is navigated; a cross-origin or sandboxed frame
 * that may not do that gets a SecurityError, and the frame itself is navigated instead.
 */
export function performRedirect(action: RedirectAction, options: PerformOptions = {}): void {
  const url = checkWebUrl(action.url, {
    ...options,
    ...(action.hosts === undefined ? {} : { hosts: action.hosts }),
    what: 'redirect target',
  });
  const win = options.window ?? window;
  const top = options.top === true ? framedTop(win) : undefined;
  if (top !== undefined) {
    try {
      navigation.assign(url, top);
      return;
    } catch (error) {
      if (!isSecurityError(error)) throw error;
    }
  }
  navigation.assign(url, win);
}
