/**
 * Alipay+-style wallet OpenAPI `POST /v1/payments/pay`:
 * `result.resultStatus` S/A/U/F decides, and A carries an `actionForm` to follow, or, from the v2
 * wallet API (`/v2/payments/pay`), a `redirectActionForm`.
 */

import * as z from 'zod/mini';
import { CheckoutError } from '../core/errors.js';
import { FORM_METHODS, type FormMethod, type NextAction } from '../core/next-action.js';
import { checkWebUrl, withQueryFields } from '../core/safe-url.js';
import { checkQrContent, lazy, parseJson, readJson, stringRecord, validate } from '../core/validate.js';
import type { AdapterContext, GatewayAdapter } from './registry.js';

// Absent optional fields may arrive as null when a merchant backend re-serialises the body
// with a library that writes nulls (Jackson's default).
const responseSchema = lazy(() =>
  z.object({
    result: z.object({
      resultStatus: z.string(),
      resultCode: z.string(),
      resultMessage: z.nullish(z.string()),
    }),
    paymentId: z.nullish(z.string()),
    actionForm: z.nullish(z.object({ actionFormType: z.string() })),
    redirectActionForm: z.nullish(z.object({})),
  }),
);

const redirectionSchema = lazy(() => z.object({ actionForm: z.object({ redirectionUrl: z.string() }) }));
const orderCodeSchema = lazy(() => z.object({ actionForm: z.object({ orderCode: z.string() }) }));
const redirectActionFormSchema = lazy(() =>
  z.object({
    redirectActionForm: z.object({
      redirectUrl: z.string(),
      method: z.nullish(z.string()),
      parameters: z.nullish(z.unknown()),
    }),
  }),
);

function followActionForm(body: unknown, type: string, context: AdapterContext): NextAction {
  switch (type) {
    case 'REDIRECTION': {
      const { redirectionUrl } = validate(redirectionSchema(), body).actionForm;
      const url = checkWebUrl(redirectionUrl, {
        ...context,
        what: 'actionForm.redirectionUrl',
      });
      return { kind: 'redirect', url };
    }
    case 'ORDER_CODE': {
      const { orderCode } = validate(orderCodeSchema(), body).actionForm;
      return { kind: 'qr', content: checkQrContent(orderCode, 'actionForm.orderCode') };
    }
    default:
      throw new CheckoutError('unknown_action_form', `actionForm.actionFormType ${JSON.stringify(type)} is not known`, {
        field: 'actionForm.actionFormType',
      });
  }
}

function redirectMethod(raw: string | null | undefined): FormMethod {
  if (raw == null) return 'GET';
  if ((FORM_METHODS as readonly string[]).includes(raw)) return raw as FormMethod;
  throw new CheckoutError('invalid_field', `redirectActionForm.method ${JSON.stringify(raw)} is neither GET nor POST`, {
    field: 'redirectActionForm.method',
  });
}

/**
 * `parameters` is documented as a string of key-value pairs: URL-encoded, or JSON when the wallet
 * serialised a map; a re-serialising backend may already have parsed it into an object. Either
 * way the fields must be flat strings, since form fields and query pairs hold nothing else.
 */
function redirectParameters(raw: unknown): Record<string, string> {
  const what = 'redirectActionForm.parameters';
  if (raw == null || raw === '') return {};
  if (typeof raw !== 'string') return stringRecord(raw, what);
  // Read as URL-encoded, a JSON text would become one field named after the whole text.
  if (raw.trimStart().startsWith('{')) return stringRecord(parseJson(raw, what), what);
  const entries: [string, string][] = [];
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(raw)) {
    // A repeated name would be sent twice by the wallet's own page but once by the rebuilt one.
    if (seen.has(name)) {
      throw new CheckoutError('invalid_field', `${what} repeats ${JSON.stringify(name)}`, { field: what });
    }
    seen.add(name);
    entries.push([name, value]);
  }
  // fromEntries defines own properties, so a parameter named `__proto__` stays a parameter.
  return Object.fromEntries(entries);
}

/**
 * GET becomes a redirect with the parameters merged into the query the wallet already put on the
 * URL (`withQueryFields`), because a GET form would replace that query; POST becomes a form,
 * which keeps the action's query. Like v1's cashier URL, the target is on the wallet's own host,
 * which differs per wallet, so only the scheme is checked.
 */
function followRedirectActionForm(body: unknown, context: AdapterContext): NextAction {
  const form = validate(redirectActionFormSchema(), body).redirectActionForm;
  const method = redirectMethod(form.method);
  const fields = redirectParameters(form.parameters);
  const target = checkWebUrl(form.redirectUrl, {
    ...context,
    what: 'redirectActionForm.redirectUrl',
  });
  if (method === 'POST') return { kind: 'form', action: target, method, fields };
  return { kind: 'redirect', url: withQueryFields(target, fields) };
}

export const alipayplus: GatewayAdapter = (response, context) => {
  const body = readJson(response);
  const { result, paymentId, actionForm, redirectActionForm } = validate(responseSchema(), body);
  const meta = paymentId == null ? {} : { reference: paymentId };
  switch (result.resultStatus) {
    case 'S':
      // With evaluation or authorisation payments S means "evaluated/authorised", still nothing
      // left for the shopper to do; any actionForm beside it is stale and must not be followed.
      return { kind: 'success', ...meta };
    case 'A':
      // v1's actionForm keeps precedence, so a v1 answer reads as it always has.
      if (actionForm != null) return { ...followActionForm(body, actionForm.actionFormType, context), ...meta };
      if (redirectActionForm != null) return { ...followRedirectActionForm(body, context), ...meta };
      throw new CheckoutError('missing_action', 'resultStatus A came without an actionForm or a redirectActionForm', {
        field: 'actionForm',
      });
    case 'U':
      // The wallet does not know the outcome: marking it failed could make the shopper pay twice,
      // so it stays pending until the inquiry or the notify settles it.
      return { kind: 'pending', ...meta };
    case 'F': {
      const message = result.resultMessage;
      return { kind: 'failed', code: result.resultCode, ...(message == null ? {} : { message }), ...meta };
    }
    default:
      throw new CheckoutError(
        'unknown_status',
        `result.resultStatus ${JSON.stringify(result.resultStatus)} is not known`,
        {
          field: 'result.resultStatus',
        },
      );
  }
};
