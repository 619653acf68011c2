/**
 * The `form` action: a POST form built with DOM APIs and submitted, or a GET form turned into a
 * redirect. Gateway HTML is never injected; the form is made here, field by field.
 */
import { CheckoutError } from '../core/errors.js';
import type { FormAction } from '../core/next-action.js';
import { checkWebUrl } from '../core/safe-url.js';
import { framedTop, navigation, type PerformOptions } from './navigation.js';
import { performRedirect } from './redirect.js';

export interface FormPostOptions extends PerformOptions {
  /** Where the form is attached while it is submitted; defaults to the document's body. */
  container?: ParentNode;
}

function checkedFields(fields: unknown): [string, string][] {
  if (typeof fields !== 'object' || fields === null) {
    throw new CheckoutError('invalid_field', 'form fields are not an object', { field: 'fields' });
  }
  const entries = Object.entries(fields);
  for (const [name, value] of entries) {
    // String(value) would change a signed value; refuse anything that is not already a string.
    if (typeof value !== 'string') {
      throw new CheckoutError('invalid_field', `form field ${name} is not a string`, { field: `fields.${name}` });
    }
  }
  return entries as [string, string][];
}

/**
 * What a GET form would navigate to, except that the action's own query is kept: a real GET form
 * replaces the query with its fields, losing parameters the gateway put on the action. The
 * existing query is left exactly as it was (it may be signed); the fields are appended encoded
 * the way a form encodes them (application/x-www-form-urlencoded, space as `+`).
 */
export function mergeQuery(checkedUrl: string, fields: readonly [string, string][]): string {
  if (fields.length === 0) return checkedUrl;
  const extra = new URLSearchParams(fields as [string, string][]).toString();
  const hashAt = checkedUrl.indexOf('#');
  const base = hashAt === -1 ? checkedUrl : checkedUrl.slice(0, hashAt);
  const hash = hashAt === -1 ? '' : checkedUrl.slice(hashAt);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${extra}${hash}`;
}

/**
 * Submits `action` the way the gateway's own auto-submitting page would, without its HTML.
 *
 * POST: a fresh `<form method="post" accept-charset="UTF-8">` with one hidden input per field, in
 * the fields' order, values set as DOM properties (so signed values go out byte for byte), is
 * attached to `options.container` (default: the body), handed to `navigation.submit`, and removed.
 * Returns that form. With `top: true` inside a frame it targets `_top`.
 *
 * GET: becomes a redirect to the action with the fields merged into its query; returns undefined.
 *
 * The action URL is checked first (scheme, relative, length); a refused one throws `CheckoutError`
 * and nothing is built or navigated.
 */
export function performFormPost(action: FormAction, options: FormPostOptions = {}): HTMLFormElement | undefined {
  const url = checkWebUrl(action.action, {
    what: 'form action',
    allowInsecure: options.allowInsecure,
    allowedHosts: options.allowedHosts,
  });
  const fields = checkedFields(action.fields);
  if (action.method === 'GET') {
    performRedirect({ kind: 'redirect', url: mergeQuery(url, fields) }, options);
    return undefined;
  }
  if (action.method !== 'POST') {
    throw new CheckoutError('invalid_field', `form method ${String(action.method)} is neither POST nor GET`, {
      field: 'method',
    });
  }

  const win = options.window ?? window;
  const doc = win.document;
  const form = doc.createElement('form');
  // Every property of the form is set before any input exists: once an input named "action",
  // "target" or "append" is inside, it shadows the form's own property of that name.
  form.method = 'post';
  form.action = url;
  form.acceptCharset = 'UTF-8';
  form.hidden = true;
  if (options.top === true && framedTop(win) !== undefined) form.target = '_top';
  const inputs = fields.map(([name, value]) => {
    const input = doc.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    return input;
  });
  form.append(...inputs);

  const container = options.container ?? doc.body ?? doc.documentElement;
  container.append(form);
  try {
    navigation.submit(form);
  } finally {
    // Through the prototype: a field named "remove" shadows `form.remove`.
    Element.prototype.remove.call(form);
  }
  return form;
}
