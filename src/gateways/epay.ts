/**
 * epay (彩虹易支付) `mapi.php`, seed 001, GATEWAYS.md §2: `{code, msg, trade_no}` plus one of
 * `payurl`, `qrcode`, `urlscheme` or the undocumented `html` (built by `lib\Payment::echoJson()` in
 * `LifeAndDeathh/Rainbow_Epay`).
 */

import { CheckoutError } from '../core/errors.js';
import { parseAutoSubmitForm } from '../core/html-form.js';
import type { NextAction } from '../core/next-action.js';
import { checkDeeplink, checkWebUrl, type UrlPolicyOptions, withQueryFields } from '../core/safe-url.js';
import * as z from '../core/schema.js';
import { checkQrContent, lazy, readJson, validate } from '../core/validate.js';
import type { GatewayAdapter } from './registry.js';

/**
 * Precedence when a clone sends more than one field (or all of them, with "" for the unused ones):
 * the order epay's own consumer of a remote mapi reads them in (`plugins/epay/epay_plugin.php
 * pay_mapi()`). A decision, GATEWAYS.md §6.2: the documented API sends only one.
 */
export const EPAY_ACTION_FIELDS = ['payurl', 'qrcode', 'urlscheme', 'html'] as const;
type ActionField = (typeof EPAY_ACTION_FIELDS)[number];

// PHP writes null for a field a plugin left unset; null and "" both mean "not this one".

const schema = lazy(() =>
  z.object({
    code: z.union([z.number(), z.string()]),
    msg: z.nullish(z.string()),
    // Read by referenceOf, never validated: a bad trade_no must not block a payment.
    trade_no: z.optional(z.unknown()),
    payurl: z.nullish(z.string()),
    qrcode: z.nullish(z.string()),
    urlscheme: z.nullish(z.string()),
    html: z.nullish(z.string()),
    data: z.optional(z.unknown()),
  }),
);

type Envelope = z.infer<ReturnType<typeof schema>>;

const INTEGER_TEXT = /^-?\d{1,9}$/;

/** `code` is an Int in PHP epay but the string "1" in some non-PHP clones: compare numerically. */
function codeOf(raw: number | string): number {
  const value = typeof raw === 'number' ? raw : INTEGER_TEXT.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    throw new CheckoutError('invalid_field', `code ${JSON.stringify(raw)} is not an integer`, { field: 'code' });
  }
  return value;
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
      // A relative payurl (the docs' own `pay/wxpay/…/`) is refused: the gateway origin is unknown here.
      return { kind: 'redirect', url: checkWebUrl(value, { ...policy, what: 'payurl' }) };
    case 'qrcode':
      // Drawn, never followed, even when it is an https page of the epay site: that page is meant
      // for the phone that scans it (`plugins/alipay/alipay_plugin.php qrcode()`).
      return { kind: 'qr', content: checkQrContent(value, 'qrcode') };
    case 'urlscheme':
      return { kind: 'deeplink', url: checkDeeplink(value) };
    case 'html':
      return fromHtml(value, policy);
  }
}

export const epay: GatewayAdapter = (response, context) => {
  // A PHP warning printed before the JSON makes the body text that is not JSON: invalid_json.
  const body = validate(schema(), readJson(response));
  const code = codeOf(body.code);
  const reference = referenceOf(body.trade_no);

  if (code !== 1) {
    if (code === 0 && body.data !== undefined && body.data !== null) {
      // `device=app` on the Alipay plugin: an app order string only a native Alipay SDK can use.
      throw new CheckoutError('unsupported_response', 'code 0 carries an Alipay app order string, not a web action', {
        field: 'data',
      });
    }
    const message = typeof body.msg === 'string' && body.msg !== '' ? { message: body.msg } : {};
    return { kind: 'failed', code: String(code), ...message, ...reference };
  }

  const chosen = firstActionField(body);
  if (chosen === undefined) {
    throw new CheckoutError('missing_action', `code 1 without any of ${EPAY_ACTION_FIELDS.join(', ')}`);
  }
  return { ...toNext(chosen.field, chosen.value, context), ...reference };
};
