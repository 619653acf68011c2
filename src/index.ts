/**
 * cashdesk's public surface. Every named export here is also on `window.Cashdesk` in the
 * script-tag build.
 */
import { registerBuiltinGateways } from './gateways/builtin.js';

export type { BackendErrorCode, CheckoutErrorCode, CheckoutErrorKind, ResponseErrorCode } from './core/errors.js';
export { BACKEND_ERROR_CODES, CheckoutError, isCheckoutError, RESPONSE_ERROR_CODES } from './core/errors.js';
export type {
  ActionKind,
  ActionMeta,
  ActionOf,
  DeeplinkAction,
  FailedAction,
  FormAction,
  FormMethod,
  NextAction,
  PendingAction,
  QrAction,
  RedirectAction,
  SdkName,
  SdkTokenAction,
  SuccessAction,
  WechatJsapiAction,
  WechatJsapiParams,
} from './core/next-action.js';
export { ACTION_KINDS, isFinalAction, isLeavingAction } from './core/next-action.js';
export type { UrlPolicyOptions } from './core/safe-url.js';
export { checkDeeplink, checkWebUrl } from './core/safe-url.js';
export type {
  AdapterContext,
  BuiltinGateway,
  GatewayAdapter,
  GatewayId,
  ToActionOptions,
} from './gateways/registry.js';
export { BUILTIN_GATEWAYS, registeredGateways, registerGateway, toAction } from './gateways/registry.js';

registerBuiltinGateways();
