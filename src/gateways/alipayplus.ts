/**
 * Alipay+-style wallet OpenAPI `POST /v1/payments/pay` (seed 003, GATEWAYS.md §4):
 * `result.resultStatus` S/A/U/F decides, and A carries an `actionForm` to follow.
 */

import { CheckoutError } from '../core/errors.js';
import type { NextAction } from '../core/next-action.js';
import { checkWebUrl } from '../core/safe-url.js';
import * as z from '../core/schema.js';
import { checkQrContent, lazy, readJson, validate } from '../core/validate.js';
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
  }),
);

const redirectionSchema = lazy(() => z.object({ actionForm: z.object({ redirectionUrl: z.string() }) }));
const orderCodeSchema = lazy(() => z.object({ actionForm: z.object({ orderCode: z.string() }) }));

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

export const alipayplus: GatewayAdapter = (response, context) => {
  const body = readJson(response);
  const { result, paymentId, actionForm } = validate(responseSchema(), body);
  const meta = paymentId == null ? {} : { reference: paymentId };
  switch (result.resultStatus) {
    case 'S':
      // With evaluation or authorisation payments S means "evaluated/authorised", still nothing
      // left for the shopper to do; any actionForm beside it is stale and must not be followed.
      return { kind: 'success', ...meta };
    case 'A':
      if (actionForm == null) {
        throw new CheckoutError('missing_action', 'resultStatus A came without an actionForm', { field: 'actionForm' });
      }
      return { ...followActionForm(body, actionForm.actionFormType, context), ...meta };
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
