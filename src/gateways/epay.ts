/**
 * epay (彩虹易支付) `mapi.php`: `{code, msg, trade_no}` plus one of
 * `payurl`, `qrcode`, `urlscheme` or the undocumented `html` (built by `lib\Payment::echoJson()` in
 * `LifeAndDeathh/Rainbow_Epay`). Clones also send `success` beside or instead of
 * `code`, `message` for `msg`, `qr_code` for `qrcode`, and a mobile cashier `payurl2`.
 */

import * as z from 'zod/mini';
import { CheckoutError } from '../core/errors.js';
import { parseAutoSubmitForm } from '../core/html-form.js';
import type { NextAction } from '../core/next-action.js';
import { checkDeeplink, checkWebUrl, type UrlPolicyOptions, withQueryFields } from '../core/safe-url.js';
import { checkQrContent, lazy, readJson, validate } from '../core/validate.js';
import type { GatewayAdapter } from './registry.js';

/**
 * Precedence when a clone sends more than one field (or all of them, with "" for the unused ones):
 * the order epay's own consumer of a remote mapi reads them in (`plugins/epay/epay_plugin.php
 * pay_mapi()`). A decision: the documented API sends only one.
 *
 * The clones' extra fields take the slot of the field they stand for. `payurl2` is a second
 * cashier URL meant for phones; it comes right after `payurl`, which still wins: an adapter has no
 * environment to tell a phone from a desktop, and `payurl` is the page every clone documents, so
 * `payurl2` is only the fallback when `payurl` is absent, null or "". `qr_code` is a clone's
 * spelling of `qrcode`, read after it.
 */
export const EPAY_ACTION_FIELDS = ['payurl', 'payurl2', 'qrcode', 'qr_code', 'urlscheme', 'html'] as const;
type ActionField = (typeof EPAY_ACTION_FIELDS)[number];

// PHP writes null for a field a plugin left unset; null and "" both mean "not this one".
// Keys not named here (a clone's `extend_params` echo, `img`, …) are dropped, never refused.

const schema = lazy(() =>
  z.object({
    code: z.nullish(z.union([z.number(), z.string()])),
    // Read by codeOf only when `code` is absent: beside a code it is never validated.
    success: z.optional(z.unknown()),
    msg: z.nullish(z.string()),
    // A clone's name for msg; read only when it is a string, so an odd one never hides a failure.
    message: z.optional(z.unknown()),
    // Read by referenceOf, never validated: a bad trade_no must not block a payment.
    trade_no: z.optional(z.unknown()),
    payurl: z.nullish(z.string()),
    payurl2: z.nullish(z.string()),
    qrcode: z.nullish(z.string()),
    qr_code: z.nullish(z.string()),
    urlscheme: z.nullish(z.string()),
    html: z.nullish(z.string()),
    data: z.optional(z.unknown()),
  }),
);

type Envelope = z.infer<ReturnType<typeof schema>>;

const INTEGER_TEXT = /^-?\d{1,9}$/;

/**
 * What `success: false` without a code reports as `failed.code`: 0, which is what PHP's `(int)false`
 * gives and what epay itself uses for a failure with no more specific code.
 */
const SUCCESS_FALSE_CODE = 0;

/**
 * `code` is an Int in PHP epay but the string "1" in some non-PHP clones: compare numerically.
 * Some clones send `success: true|false` beside or instead of it. When both are there, `code`
 * wins, whichever way they disagree: it is the documented field, `success` a clone's addition.
 */
function codeOf(body: Envelope): number {
  const raw = body.code;
  if (raw === undefined || raw === null) {
    if (body.success === true) return 1;
    if (body.success === false) return SUCCESS_FALSE_CODE;
    if (body.success === undefined || body.success === null) {
      throw new CheckoutError('missing_field', 'code is missing', { field: 'code' });
    }
    throw new CheckoutError('invalid_field', `success ${JSON.stringify(body.success)} is not a boolean`, {
      field: 'success',
    });
  }
  const value = typeof raw === 'number' ? raw : INTEGER_TEXT.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    throw new CheckoutError('invalid_field', `code ${JSON.stringify(raw)} is not an integer`, { field: 'code' });
  }
  return value;
}

/** `msg` as epay sends it, else a clone's `message`; "" is no message. */
function messageOf(body: Envelope): { message?: string } {
  for (const text of [body.msg, body.message]) {
    if (typeof text === 'string' && text !== '') return { message: text };
  }
  return {};
}

/**
 * `trade_no` is only a log reference and stays opaque: a string is kept byte for byte (never
 * through Number, which would drop leading zeros or digits). Some clones send the 19–20 digit
 * number as a JSON number, which JSON.parse has already rounded beyond 2^53; such a value is not
 * the gateway's number any more, so it is left out rather than reported wrongly.
 */
function referenceOf(raw: unknown): { reference?: string } {
  if (typeof raw === 'string' && raw !== '') return { reference: raw };
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return { reference: String(raw) };
  return {};
}

function firstActionField(body: Envelope): { field: ActionField; value: string } | undefined {
  for (const field of EPAY_ACTION_FIELDS) {
    const value = body[field];
    if (typeof value === 'string' && value !== '') return { field, value };
  }
  return undefined;
}

/**
 * The `html` field: one auto-submitting form (the Alipay SDK's `alipaysubmit` and the like), parsed
 * inert and rebuilt. Only the action's scheme is checked, not its host: epay plugins post to many
 * gateways (Alipay, WeChat H5, UnionPay, other epay sites, bank cashiers), so no allow-list could
 * be complete, and an incomplete one would refuse genuine payments.
 */
function fromHtml(html: string, policy: UrlPolicyOptions): NextAction {
  const form = parseAutoSubmitForm(html);
  const action = checkWebUrl(form.action, { ...policy, what: 'form action' });
  if (form.method === 'GET') {
    return {
      kind: 'redirect',
      url: checkWebUrl(withQueryFields(action, form.fields), { ...policy, what: 'form target' }),
    };
  }
  return { kind: 'form', action, method: 'POST', fields: form.fields };
}

function toNext(field: ActionField, value: string, policy: UrlPolicyOptions): NextAction {
  switch (field) {
    case 'payurl':
    case 'payurl2':
      // A relative payurl (the docs' own `pay/wxpay/…/`) is refused: the gateway origin is unknown here.
      return { kind: 'redirect', url: checkWebUrl(value, { ...policy, what: field }) };
    case 'qrcode':
    case 'qr_code':
      // Drawn, never followed, even when it is an https page of the epay site: that page is meant
      // for the phone that scans it (`plugins/alipay/alipay_plugin.php qrcode()`). A root-relative
      // path is refused by checkQrContent: the scanning phone has no origin to resolve it against.
      return { kind: 'qr', content: checkQrContent(value, field) };
    case 'urlscheme':
      // The wallet schemes safe-url allows (WeChat's, and Alipay's `alipays://platformapi/startapp?…`).
      return { kind: 'deeplink', url: checkDeeplink(value) };
    case 'html':
      return fromHtml(value, policy);
  }
}

export const epay: GatewayAdapter = (response, context) => {
  // A PHP warning printed before the JSON makes the body text that is not JSON: invalid_json.
  const body = validate(schema(), readJson(response));
  const code = codeOf(body);
  const reference = referenceOf(body.trade_no);

  if (code !== 1) {
    const saidByCode = body.code !== undefined && body.code !== null;
    if (saidByCode && code === 0 && body.data !== undefined && body.data !== null) {
      // `device=app` on the Alipay plugin: an app order string only a native Alipay SDK can use.
      // That answer is `{"code":0,"data":…}`; a clone's `success: false` is a failure whatever it carries.
      throw new CheckoutError('unsupported_response', 'code 0 carries an Alipay app order string, not a web action', {
        field: 'data',
      });
    }
    return { kind: 'failed', code: String(code), ...messageOf(body), ...reference };
  }

  const chosen = firstActionField(body);
  if (chosen === undefined) {
    throw new CheckoutError('missing_action', `code 1 without any of ${EPAY_ACTION_FIELDS.join(', ')}`);
  }
  return { ...toNext(chosen.field, chosen.value, context), ...reference };
};
