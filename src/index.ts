/**
 * cashdesk's public surface. Every named export here is also on `window.Cashdesk` in the
 * script-tag build.
 */
// First: the style nonce must be in place before an element is defined (see the module).
import './style-nonce.js';
import { registerBuiltinGatewaysLazily } from './lazy/gateways.js';

export type {
  BackendOptions,
  CallOptions,
  CreateAnswer,
  CreateRequest,
  PaymentStatus,
  StatusAnswer,
} from './core/backend.js';
export { Backend, newIdempotencyKey, PAYMENT_STATUSES } from './core/backend.js';
export type { ClientInfo, ClientType, Environment, InApp, NativeBridgeKind, Os } from './core/environment.js';
export { CLIENT_TYPES, clientInfo, detectEnvironment } from './core/environment.js';

export type {
  BackendErrorCode,
  CheckoutErrorCode,
  CheckoutErrorKind,
  EnvironmentErrorCode,
  ResponseErrorCode,
} from './core/errors.js';
export {
  BACKEND_ERROR_CODES,
  CheckoutError,
  ENVIRONMENT_ERROR_CODES,
  isCheckoutError,
  RESPONSE_ERROR_CODES,
} from './core/errors.js';
export { formatMinor, toDecimalString } from './core/money.js';
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
export type { PollerOptions, PollSchedule } from './core/poller.js';
export { DEFAULT_SCHEDULE, FINAL_STATUSES, StatusPoller } from './core/poller.js';
export type { UrlPolicyOptions } from './core/safe-url.js';
export { checkDeeplink, checkWebUrl } from './core/safe-url.js';
export type { CheckoutPayload } from './elements/cashdesk-checkout/cashdesk-checkout.js';
export { CashdeskCheckout } from './elements/cashdesk-checkout/cashdesk-checkout.js';
export type { CashdeskOpenInBrowser } from './elements/cashdesk-open-in-browser/cashdesk-open-in-browser.js';
export { CashdeskQr } from './elements/cashdesk-qr/cashdesk-qr.js';
export type { CheckoutState } from './events/events.js';
export {
  CashdeskActionEvent,
  CashdeskAppLaunchFailedEvent,
  CashdeskCloseEvent,
  CashdeskErrorEvent,
  CashdeskExpiredEvent,
  CashdeskFailureEvent,
  CashdeskOpenInBrowserEvent,
  CashdeskQrRefreshEvent,
  CashdeskRedirectEvent,
  CashdeskSdkTokenEvent,
  CashdeskStatusEvent,
  CashdeskSuccessEvent,
  CHECKOUT_STATES,
} from './events/events.js';
export type { FailureReason, ToldReason } from './flow/failure.js';
export { canTryAgain, FAILURE_REASONS, toldFailure } from './flow/failure.js';
export type { AttemptKeyStore, KeyStorage } from './flow/keys.js';
export { webKeyStore } from './flow/keys.js';
export type { Clock, FlowBackend, FlowPoller, PaymentFlowOptions, Performers } from './flow/payment-flow.js';
export { PaymentFlow } from './flow/payment-flow.js';
export type { Effect, FlowEvent, Offer, PaymentState, Retry, Transition } from './flow/state.js';
export { initialState, isSlow, next, offerOf, retryOf, SLOW_AFTER_CHECKS } from './flow/state.js';
export type {
  AdapterContext,
  BuiltinGateway,
  GatewayAdapter,
  GatewayId,
  ToActionOptions,
} from './gateways/registry.js';
export {
  BUILTIN_GATEWAYS,
  isGatewayLoaded,
  loadGateways,
  registeredGateways,
  registerGateway,
  toAction,
} from './gateways/registry.js';
export { registerMessages } from './i18n/localize.js';
export type { Locale, Messages } from './i18n/messages.js';
export { LOCALES } from './i18n/messages.js';
export type { NativeMessage, NativeOutcome, NativeResult } from './perform/native-bridge.js';
export { NATIVE_RESULT_EVENT } from './perform/native-bridge.js';

registerBuiltinGatewaysLazily();
