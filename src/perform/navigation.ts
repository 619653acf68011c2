/**
 * The one place cashdesk leaves the page. Every performer goes through `navigation`, so a test (or
 * a merchant who wants to take a navigation over) can replace its methods and see exactly what
 * would have left: the URL of a redirect, or the form of a POST.
 */

export interface Navigation {
  /** Navigates `target` to `url`, which the caller has already checked (core/safe-url.ts). */
  assign(url: string, target: Window): void;
  /** Submits a form the caller built with DOM APIs. */
  submit(form: HTMLFormElement): void;
}

export const navigation: Navigation = {
  assign(url, target) {
    // A framed widget that navigates the top window may be cross-origin with it, and HTML's
    // cross-origin Location exposes only the `href` setter and `replace()`: `assign()` there is
    // always a SecurityError, while the `href` setter works wherever the browser allows the frame
    // to navigate its top at all.
    if (target === window) target.location.assign(url);
    else target.location.href = url;
  },
  submit(form) {
    // A gateway field named "submit" is a named property of the form and shadows `form.submit`.
    HTMLFormElement.prototype.submit.call(form);
  },
};

export interface PerformOptions {
  /** Accept `http:` targets (see core/safe-url.ts: defaults to true only on an `http:` page). */
  allowInsecure?: boolean;
  /** Extra hosts accepted wherever a host allow-list applies. */
  allowedHosts?: readonly string[];
  /** Navigate the top window when framed, where the browser allows it. */
  top?: boolean;
  /** The window whose page is left; defaults to the global `window` (a test's iframe, say). */
  window?: Window;
}

/** The top window when `win` is framed; undefined when it is the top or the top is unreachable. */
export function framedTop(win: Window): Window | undefined {
  let top: Window | null;
  try {
    top = win.top;
  } catch {
    return undefined;
  }
  return top !== null && top !== win ? top : undefined;
}

/** By name rather than `instanceof`: a DOMException from another realm (a frame) is not ours. */
export function isSecurityError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'SecurityError';
}
