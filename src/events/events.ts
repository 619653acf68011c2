/**
 * The events cashdesk elements fire: small typed classes, prefixed `cashdesk-`, bubbling and
 * composed (they cross shadow roots), each with a typed `detail`. The one fired before an action
 * is performed is cancelable, so a merchant can take the action over.
 */
import type { PaymentStatus, StatusAnswer } from '../core/backend.js';
import type { InApp, NativeBridgeKind } from '../core/environment.js';
import type { CheckoutError } from '../core/errors.js';
import type { ActionOf, NextAction, SdkName } from '../core/next-action.js';
import type { FailureReason } from '../flow/failure.js';

/** The shape every cashdesk event shares: bubbling, composed, a typed `detail`. */
export class CashdeskEvent<Detail> extends Event {
  readonly detail: Detail;
  constructor(type: string, detail: Detail, cancelable = false) {
    super(type, { bubbles: true, composed: true, cancelable });
    this.detail = detail;
  }
}

/** What the element is showing, as announced to the page. */
export const CHECKOUT_STATES = [
  'idle',
  'creating',
  'qr',
  'waiting',
  'paid',
  'failed',
  'expired',
  'error',
  'unsupported',
  /** A redirect or form post is under way: the page is being left. */
  'redirecting',
  /** A wallet app was opened by deep link; waiting for the shopper to come back. */
  'app',
  /** The deep link did not open the app: its QR and an explanation are shown. */
  'app-fallback',
  /** WeChat's payment sheet is up (WeixinJSBridge). */
  'wechat',
  /** Alipay's cashier is up, inside the Alipay app (AlipayJSBridge `tradePay`). */
  'alipay',
  /** A WeChat-only payment outside WeChat: a QR of this page to open it in WeChat. */
  'open-in-wechat',
  /** The action needs the system browser (Alipay inside WeChat): the guide is shown. */
  'open-in-browser',
  /** An SDK token was handed to the native app around the webview. */
  'native',
  /** The payment was handed to the mini-program around the web-view; waiting for the shopper to come back. */
  'mini-program',
] as const;
export type CheckoutState = (typeof CHECKOUT_STATES)[number];

export class CashdeskActionEvent extends CashdeskEvent<{ orderId: string; action: NextAction }> {
  static readonly type = 'cashdesk-action';
  constructor(detail: CashdeskActionEvent['detail']) {
    super(CashdeskActionEvent.type, detail, true);
  }
}

export class CashdeskStatusEvent extends CashdeskEvent<{
  orderId: string;
  state: CheckoutState;
  status?: PaymentStatus;
  answer?: StatusAnswer;
}> {
  static readonly type = 'cashdesk-status';
  constructor(detail: CashdeskStatusEvent['detail']) {
    super(CashdeskStatusEvent.type, detail);
  }
}

export class CashdeskSuccessEvent extends CashdeskEvent<{ orderId: string; reference?: string }> {
  static readonly type = 'cashdesk-success';
  constructor(detail: CashdeskSuccessEvent['detail']) {
    super(CashdeskSuccessEvent.type, detail);
  }
}

export class CashdeskFailureEvent extends CashdeskEvent<{
  orderId: string;
  code: string;
  /** The gateway's or the backend's own words: for the merchant's logs, not the shopper. */
  message?: string;
  status?: PaymentStatus;
  /** The kind of failure the shopper was told about. */
  reason?: FailureReason;
}> {
  static readonly type = 'cashdesk-failure';
  constructor(detail: CashdeskFailureEvent['detail']) {
    super(CashdeskFailureEvent.type, detail);
  }
}

export class CashdeskExpiredEvent extends CashdeskEvent<{ orderId: string }> {
  static readonly type = 'cashdesk-expired';
  constructor(detail: CashdeskExpiredEvent['detail']) {
    super(CashdeskExpiredEvent.type, detail);
  }
}

export class CashdeskErrorEvent extends CashdeskEvent<{ orderId: string; error: CheckoutError; code: string }> {
  static readonly type = 'cashdesk-error';
  constructor(detail: CashdeskErrorEvent['detail']) {
    super(CashdeskErrorEvent.type, detail);
  }
}

/** `<cashdesk-qr>` asks for a new code (the shopper pressed "refresh" after expiry). */
export class CashdeskQrRefreshEvent extends CashdeskEvent<{ content: string }> {
  static readonly type = 'cashdesk-qr-refresh';
  constructor(detail: CashdeskQrRefreshEvent['detail']) {
    super(CashdeskQrRefreshEvent.type, detail);
  }
}

/** A redirect or form post is about to leave the page. Cancelable: the merchant navigates itself. */
export class CashdeskRedirectEvent extends CashdeskEvent<{
  orderId: string;
  action: ActionOf<'redirect' | 'form'>;
  /** The URL the browser will load (for a form, its action). */
  url: string;
}> {
  static readonly type = 'cashdesk-redirect';
  constructor(detail: CashdeskRedirectEvent['detail']) {
    super(CashdeskRedirectEvent.type, detail, true);
  }
}

/** The wallet app did not open from its deep link: the fallback is shown. */
export class CashdeskAppLaunchFailedEvent extends CashdeskEvent<{ orderId: string; url: string }> {
  static readonly type = 'cashdesk-app-launch-failed';
  constructor(detail: CashdeskAppLaunchFailedEvent['detail']) {
    super(CashdeskAppLaunchFailedEvent.type, detail);
  }
}

/** An SDK token for the native app. `bridge` says which native bridge it was posted to, if any. */
export class CashdeskSdkTokenEvent extends CashdeskEvent<{
  orderId: string;
  sdk: SdkName;
  token: string | Record<string, unknown>;
  bridge?: NativeBridgeKind;
}> {
  static readonly type = 'cashdesk-sdk-token';
  constructor(detail: CashdeskSdkTokenEvent['detail']) {
    super(CashdeskSdkTokenEvent.type, detail);
  }
}

/**
 * The action needs the system browser (an Alipay page inside WeChat). Cancelable: the merchant
 * shows its own guide instead of `<cashdesk-open-in-browser>`.
 */
export class CashdeskOpenInBrowserEvent extends CashdeskEvent<{ orderId: string; action: NextAction; inApp: InApp }> {
  static readonly type = 'cashdesk-open-in-browser';
  constructor(detail: CashdeskOpenInBrowserEvent['detail']) {
    super(CashdeskOpenInBrowserEvent.type, detail, true);
  }
}

/** `<cashdesk-open-in-browser>` was dismissed by the shopper. */
export class CashdeskCloseEvent extends CashdeskEvent<undefined> {
  static readonly type = 'cashdesk-close';
  constructor() {
    super(CashdeskCloseEvent.type, undefined);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cashdesk-action': CashdeskActionEvent;
    'cashdesk-status': CashdeskStatusEvent;
    'cashdesk-success': CashdeskSuccessEvent;
    'cashdesk-failure': CashdeskFailureEvent;
    'cashdesk-expired': CashdeskExpiredEvent;
    'cashdesk-error': CashdeskErrorEvent;
    'cashdesk-qr-refresh': CashdeskQrRefreshEvent;
    'cashdesk-redirect': CashdeskRedirectEvent;
    'cashdesk-app-launch-failed': CashdeskAppLaunchFailedEvent;
    'cashdesk-sdk-token': CashdeskSdkTokenEvent;
    'cashdesk-open-in-browser': CashdeskOpenInBrowserEvent;
    'cashdesk-close': CashdeskCloseEvent;
  }
}
