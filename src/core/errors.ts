/**
 * One error class for everything cashdesk refuses or cannot do, with a stable `code` slug that
 * integrators can switch on. Response errors (the gateway's answer is unusable) and backend errors
 * (the merchant backend could not be reached or answered badly) are told apart by `kind`.
 */

/** Why a gateway response was refused. */
export const RESPONSE_ERROR_CODES = [
  'invalid_json',
  'missing_field',
  'missing_action',
  'invalid_field',
  'invalid_amount',
  'unknown_status',
  'unknown_action_form',
  'unsupported_channel',
  'unsupported_environment',
  'unsupported_action',
  'unsupported_response',
  'credential_mismatch',
  'unsafe_url_scheme',
  'relative_url',
  'invalid_url',
  'host_not_allowed',
  'unexpected_markup',
  'too_large',
  'unknown_gateway',
] as const;

/** Why talking to the merchant backend (or the page's environment) failed. */
export const BACKEND_ERROR_CODES = [
  'network',
  'timeout',
  'aborted',
  'http_status',
  'invalid_backend_response',
] as const;

/** Why the page could not perform an action (WeChat's bridge missing or silent, a native bridge gone). */
export const ENVIRONMENT_ERROR_CODES = ['bridge_unavailable', 'bridge_timeout', 'bridge_failed'] as const;

export type ResponseErrorCode = (typeof RESPONSE_ERROR_CODES)[number];
export type BackendErrorCode = (typeof BACKEND_ERROR_CODES)[number];
export type EnvironmentErrorCode = (typeof ENVIRONMENT_ERROR_CODES)[number];
export type CheckoutErrorCode = ResponseErrorCode | BackendErrorCode | EnvironmentErrorCode;

export type CheckoutErrorKind = 'response' | 'backend' | 'environment';

export interface CheckoutErrorOptions {
  /** The gateway id the failing response came from. */
  gateway?: string;
  /** The field (dotted path) at fault, when there is one. */
  field?: string;
  /** The HTTP status, for `http_status`. */
  status?: number;
  cause?: unknown;
}

export class CheckoutError extends Error {
  override readonly name = 'CheckoutError';
  readonly code: CheckoutErrorCode;
  readonly kind: CheckoutErrorKind;
  gateway?: string;
  readonly field?: string;
  readonly status?: number;

  constructor(code: CheckoutErrorCode, explanation: string, options: CheckoutErrorOptions = {}) {
    // "slug: explanation", so a log line alone says what was refused and why.
    super(`${code}: ${explanation}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.kind = (BACKEND_ERROR_CODES as readonly string[]).includes(code)
      ? 'backend'
      : (ENVIRONMENT_ERROR_CODES as readonly string[]).includes(code)
        ? 'environment'
        : 'response';
    if (options.gateway !== undefined) this.gateway = options.gateway;
    if (options.field !== undefined) this.field = options.field;
    if (options.status !== undefined) this.status = options.status;
  }
}

export function isCheckoutError(value: unknown, code?: CheckoutErrorCode): value is CheckoutError {
  // Checked by shape as well as by class: two copies of cashdesk on one page (the script loaded
  // twice, or an ES build beside the script-tag build) must recognise each other's errors.
  if (!(value instanceof Error) || value.name !== 'CheckoutError') return false;
  const found = (value as Partial<CheckoutError>).code;
  if (typeof found !== 'string') return false;
  return code === undefined || found === code;
}
