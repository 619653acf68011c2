/**
 * The URL policy for every navigation cashdesk makes or hands out: redirect targets, form
 * actions and deep links. Parsing follows WHATWG `new URL()`, and what a check returns is the
 * parsed URL's serialised `href`: the browser is handed exactly the URL that was checked, never
 * the raw text, which it would resolve against the page (https://url.spec.whatwg.org/#concept-basic-url-parser).
 */
import { CheckoutError } from './errors.js';

export const MAX_URL_LENGTH = 8 * 1024;

/** Form actions Alipay fixes; look-alikes (`openapi.alipay.com.evil.example`) never match. */
export const ALIPAY_HOSTS = [
  'openapi.alipay.com',
  'mapi.alipay.com',
  'wappaygw.alipay.com',
  'intlmapi.alipay.com',
  'openapi.alipaydev.com',
  'openapi-sandbox.dl.alipaydev.com',
] as const;

/** UnionPay's front-transaction gateway, production and test. */
export const UNIONPAY_HOSTS = ['gateway.95516.com', 'gateway.test.95516.com'] as const;

/**
 * The wallet apps a deep link may open: WeChat (`weixin://wxpay/bizpayurl?…`) and Alipay
 * (`alipays://platformapi/startapp?…`, its older `alipay:` and the scan entry `alipayqr:`).
 * Nothing else: `intent:`, `tel:` or another app's scheme is not a payment.
 */
export const DEEPLINK_SCHEMES = ['weixin:', 'alipays:', 'alipay:', 'alipayqr:'] as const;

export interface UrlPolicyOptions {
  /**
   * Accept `http:` targets. Defaults to true only when the page itself is served over `http:`
   * (development); on an `https:` page the merchant must opt in.
   */
  allowInsecure?: boolean;
  /** Extra hosts accepted wherever a host allow-list applies (a sandbox, a regional gateway). */
  allowedHosts?: readonly string[];
}

export interface WebUrlRule extends UrlPolicyOptions {
  /** When set, the URL's host must be one of these or of `allowedHosts`. */
  hosts?: readonly string[];
  /** Named in errors: "redirect target", "form action", … */
  what?: string;
}

// WHATWG: leading and trailing C0 controls and spaces are stripped, and every tab, CR and LF
// is removed anywhere, before the scheme is read. `" \n java\tscript:"` is `javascript:`.
const EDGE_C0_OR_SPACE = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;
const TAB_OR_NEWLINE = /[\t\n\r]/g;
const CONTROL = /[\u0000-\u001f\u007f]/;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** What the URL parser itself strips, applied the same way. */
export function cleanUrl(raw: string): string {
  return raw.replace(EDGE_C0_OR_SPACE, '').replace(TAB_OR_NEWLINE, '');
}

function pageIsInsecure(): boolean {
  return typeof location !== 'undefined' && location.protocol === 'http:';
}

// Where a URL is resolved to see whether the page could change its meaning: any page of the same
// scheme will do, since only a base of the URL's own scheme can reinterpret it.
const PROBE_BASE_PATH = '//cashdesk.invalid/a/b/';

function parseAbsolute(raw: unknown, what: string): URL {
  if (typeof raw !== 'string') throw new CheckoutError('invalid_url', `${what} is not a string`);
  if (raw.length > MAX_URL_LENGTH) {
    throw new CheckoutError('too_large', `${what} is longer than ${MAX_URL_LENGTH} characters`);
  }
  const text = cleanUrl(raw);
  if (text === '') throw new CheckoutError('invalid_url', `${what} is empty`);
  if (CONTROL.test(text)) throw new CheckoutError('invalid_url', `${what} contains a control character`);
  if (!SCHEME.test(text)) throw new CheckoutError('relative_url', `${what} is not an absolute URL`);
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new CheckoutError('invalid_url', `${what} cannot be parsed as a URL`, { cause });
  }
  // `https:openapi.alipay.com/../x` parses alone as https://openapi.alipay.com/x, but a page on
  // https: reads a special scheme without `//` as a path of its own origin (the URL standard's
  // "special relative or authority state"). Such text means two things: refuse it.
  if (new URL(text, `${url.protocol}${PROBE_BASE_PATH}`).href !== url.href) {
    throw new CheckoutError('relative_url', `${what} would be read relative to the page`);
  }
  if (url.href.length > MAX_URL_LENGTH) {
    throw new CheckoutError('too_large', `${what} is longer than ${MAX_URL_LENGTH} characters`);
  }
  return url;
}

function hostAllowed(host: string, rule: WebUrlRule): boolean {
  const wanted = host.toLowerCase();
  const list = [...(rule.hosts ?? []), ...(rule.allowedHosts ?? [])];
  return list.some((entry) => entry.toLowerCase() === wanted);
}

/**
 * Checks a target for a top-level navigation or a form action: absolute `https:` (or `http:` when
 * allowed) with a host and no user name or password, within the host allow-list when one applies.
 * Returns the checked URL's `href`: hand the browser that, never the text that was checked.
 */
export function checkWebUrl(raw: unknown, rule: WebUrlRule = {}): string {
  const what = rule.what ?? 'URL';
  const url = parseAbsolute(raw, what);
  const insecureOk = rule.allowInsecure ?? pageIsInsecure();
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && insecureOk)) {
    const why = url.protocol === 'http:' ? ' on an https page (set allowInsecure to accept it)' : '';
    throw new CheckoutError('unsafe_url_scheme', `${what} uses the ${url.protocol} scheme${why}`);
  }
  if (url.hostname === '') throw new CheckoutError('invalid_url', `${what} has no host`);
  // `https://openapi.alipay.com@evil.example/` shows one host and goes to another; no gateway
  // sends credentials in a URL.
  if (url.username !== '' || url.password !== '') {
    throw new CheckoutError('invalid_url', `${what} carries a user name or password`);
  }
  if (rule.hosts !== undefined && !hostAllowed(url.hostname, rule)) {
    throw new CheckoutError('host_not_allowed', `${what} host ${url.hostname} is not allowed`);
  }
  return url.href;
}

/** Checks a wallet app deep link (`DEEPLINK_SCHEMES` unless told otherwise); returns its `href`. */
export function checkDeeplink(raw: unknown, schemes: readonly string[] = DEEPLINK_SCHEMES): string {
  const url = parseAbsolute(raw, 'deep link');
  if (!schemes.includes(url.protocol)) {
    throw new CheckoutError('unsafe_url_scheme', `deep link uses the ${url.protocol} scheme`);
  }
  return url.href;
}

/**
 * What a GET form to `checkedUrl` would navigate to, keeping the gateway's own query: a real GET
 * form replaces the action's query with its fields, losing parameters the gateway put there. The
 * existing pairs are kept byte for byte (they may be signed) unless a field of the same name
 * replaces them, as it would in the browser; the fields are appended encoded as a form encodes
 * them (application/x-www-form-urlencoded, space as `+`); a fragment stays at the end.
 */
export function withQueryFields(checkedUrl: string, fields: Record<string, string>): string {
  const added = new URLSearchParams(fields).toString();
  if (added === '') return checkedUrl;
  const hashAt = checkedUrl.indexOf('#');
  const base = hashAt === -1 ? checkedUrl : checkedUrl.slice(0, hashAt);
  const hash = hashAt === -1 ? '' : checkedUrl.slice(hashAt);
  const queryAt = base.indexOf('?');
  const path = queryAt === -1 ? base : base.slice(0, queryAt);
  const names = new Set(Object.keys(fields));
  const kept = (queryAt === -1 ? '' : base.slice(queryAt + 1))
    .split('&')
    .filter((pair) => pair !== '' && !names.has(new URLSearchParams(pair).keys().next().value ?? ''));
  return `${path}?${[...kept, added].join('&')}${hash}`;
}

/**
 * `new URL()` on a known-good absolute URL, for adapters that have to read or edit a query.
 * Only call it on the result of `checkWebUrl`.
 */
export function toUrl(checked: string): URL {
  return new URL(checked);
}
