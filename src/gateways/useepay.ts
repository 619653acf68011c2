/**
 * UseePay local payment (Alipay direct) `POST {BASE}/api`:
 * `resultCode` decides; `codeUrl` is a QR, `redirectUrl` + `redirectMethod` + `redirectParam`
 * a navigation. The `sign` is the merchant backend's to verify, never the browser's.
 */

import * as z from 'zod/mini';
import { CheckoutError } from '../core/errors.js';
import { FORM_METHODS, type FormMethod, type NextAction } from '../core/next-action.js';
import { checkWebUrl, withQueryFields } from '../core/safe-url.js';
import { checkQrContent, isDigitString, lazy, parseJson, readJson, stringRecord, validate } from '../core/validate.js';
import type { AdapterContext, GatewayAdapter } from './registry.js';

// Absent optional fields may arrive as null when a merchant backend re-serialises the body
// with a library that writes nulls (Jackson's default).
const responseSchema = lazy(() =>
  z.object({
    resultCode: z.string(),
    errorCode: z.nullish(z.string()),
    errorMsg: z.nullish(z.string()),
    reference: z.nullish(z.string()),
    amount: z.nullish(z.unknown()),
    codeUrl: z.nullish(z.string()),
    redirectUrl: z.nullish(z.string()),
    redirectMethod: z.nullish(z.string()),
    // Documented as a JSON string; a re-serialising backend may already have parsed it.
    redirectParam: z.nullish(z.unknown()),
  }),
);

type Response = z.infer<ReturnType<typeof responseSchema>>;

/** UseePay writes absent values as `""` as well (`"reserved": ""`), so empty means absent. */
function given(value: string | null | undefined): value is string {
  return value != null && value !== '';
}

function redirectMethod(raw: string | null | undefined): FormMethod {
  if (raw == null) return 'GET';
  if ((FORM_METHODS as readonly string[]).includes(raw)) return raw as FormMethod;
  throw new CheckoutError('invalid_field', `redirectMethod ${JSON.stringify(raw)} is neither GET nor POST`, {
    field: 'redirectMethod',
  });
}

function redirectParams(raw: unknown): Record<string, string> {
  if (raw == null || raw === '') return {};
  // Form fields are flat strings; a nested or numeric value has no single faithful encoding.
  return stringRecord(typeof raw === 'string' ? parseJson(raw, 'redirectParam') : raw, 'redirectParam');
}

/**
 * POST becomes a form (a POST keeps the action's query). GET becomes a redirect with the params
 * merged into the query the gateway already put on the URL (`withQueryFields`), because a GET form
 * would replace that query, which may be covered by a hash (girogate `cs=`).
 */
function navigate(response: Response, redirectUrl: string, context: AdapterContext): NextAction {
  const method = redirectMethod(response.redirectMethod);
  const fields = redirectParams(response.redirectParam);
  // Challenge pages (3DS ACS, girogate, …) live on any host, so only the scheme is checked.
  const target = checkWebUrl(redirectUrl, {
    ...context,
    what: 'redirectUrl',
  });
  if (method === 'POST') return { kind: 'form', action: target, method, fields };
  return { kind: 'redirect', url: withQueryFields(target, fields) };
}

function classify(response: Response, context: AdapterContext): NextAction {
  const { codeUrl, redirectUrl } = response;
  switch (response.resultCode) {
    case 'pending':
      // Both present: the redirect works on desktop and mobile alike and the cashier page shows
      // its own QR, so it wins (a decision: UseePay does not document the case).
      if (given(redirectUrl)) return navigate(response, redirectUrl, context);
      if (given(codeUrl)) return { kind: 'qr', content: checkQrContent(codeUrl, 'codeUrl') };
      return { kind: 'pending' };
    case 'challenge':
      if (!given(redirectUrl)) {
        throw new CheckoutError('missing_field', 'a challenge came without redirectUrl', { field: 'redirectUrl' });
      }
      return navigate(response, redirectUrl, context);
    case 'received':
      // The hosted `/cashier` answer: the order is accepted and UseePay's cashier page, not this
      // page, collects the payment, so waiting here would wait on nothing.
      if (given(redirectUrl)) return navigate(response, redirectUrl, context);
      return { kind: 'pending' };
    case 'succeed':
      return { kind: 'success' };
    case 'failed':
      return failed(given(response.errorCode) ? response.errorCode : 'failed', response.errorMsg);
    case 'closed':
    case 'cancelled':
      return failed(response.resultCode, response.errorMsg);
    case 'gather':
      throw new CheckoutError('unsupported_action', 'gather (3DS device fingerprinting) is not supported', {
        field: 'resultCode',
      });
    default:
      throw new CheckoutError('unknown_status', `resultCode ${JSON.stringify(response.resultCode)} is not known`, {
        field: 'resultCode',
      });
  }
}

function failed(code: string, message: string | null | undefined): NextAction {
  return given(message) ? { kind: 'failed', code, message } : { kind: 'failed', code };
}

export const useepay: GatewayAdapter = (response, context) => {
  const parsed = validate(responseSchema(), readJson(response));
  if (parsed.amount != null && !isDigitString(parsed.amount)) {
    throw new CheckoutError('invalid_amount', 'amount is not a string of minor-unit digits', { field: 'amount' });
  }
  const action = classify(parsed, context);
  return given(parsed.reference) ? { ...action, reference: parsed.reference } : action;
};
