/**
 * The `form` action: a POST form built with DOM APIs and submitted, or a GET form turned into a
 * redirect. Gateway HTML is never injected; the form is made here, field by field.
 */
import { CheckoutError } from '../core/errors.js';
import type { FormAction } from '../core/next-action.js';
import { checkWebUrl, withQueryFields } from '../core/safe-url.js';
import { stringRecord } from '../core/validate.js';
import { framedTop, navigation, type PerformOptions } from './navigation.js';
import { performRedirect } from './redirect.js';

export interface FormPostOptions extends PerformOptions {
  /** Where the form is attached while it is submitted; defaults to the document's body. */
  container?: ParentNode;
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
  // The action's own allow-list too: Alipay's signed fields go to Alipay's hosts or nowhere.
  const url = checkWebUrl(action.action, {
    ...options,
    ...(action.hosts === undefined ? {} : { hosts: action.hosts }),
    what: 'form action',
  });
  // String(value) would change a signed value: anything that is not already a string is refused.
  const fields = stringRecord(action.fields, 'fields');
  if (action.method === 'GET') {
    const target = withQueryFields(url, fields);
    performRedirect(
      { kind: 'redirect', url: target, ...(action.hosts === undefined ? {} : { hosts: action.hosts }) },
      options,
    );
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
  const inputs = Object.entries(fields).map(([name, value]) => {
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
