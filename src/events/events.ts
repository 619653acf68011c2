/**
 * The events cashdesk elements fire: small typed classes, prefixed `cashdesk-`, bubbling and
 * composed (they cross shadow roots), each with a typed `detail`. The one fired before an action
 * is performed is cancelable, so a merchant can take the action over.
 */
import type { PaymentStatus, StatusAnswer } from '../core/backend.js';
import type { InApp, NativeBridgeKind } from '../core/environment.js';
import type { CheckoutError } from '../core/errors.js';
import type { ActionOf, NextAction, SdkName } from '../core/next-action.js';

const init = (cancelable = false): EventInit => ({ bubbles: true, composed: true, cancelable });

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
  /** A WeChat-only payment outside WeChat: a QR of this page to open it in WeChat. */
  'open-in-wechat',
  /** The action needs the system browser (Alipay inside WeChat): the guide is shown. */
  'open-in-browser',
  /** An SDK token was handed to the native app around the webview. */
  'native',
] as const;
export type CheckoutState = (typeof CHECKOUT_STATES)[number];

export class CashdeskActionEvent extends Event {
  static readonly type = 'cashdesk-action';
  readonly detail: { orderId: string; action: NextAction };
  constructor(detail: { orderId: string; action: NextAction }) {
    super(CashdeskActionEvent.type, init(true));
    this.detail = detail;
  }
}

export class CashdeskStatusEvent extends Event {
  static readonly type = 'cashdesk-status';
  readonly detail: { orderId: string; state: CheckoutState; status?: PaymentStatus; answer?: StatusAnswer };
  constructor(detail: CashdeskStatusEvent['detail']) {
    super(CashdeskStatusEvent.type, init());
    this.detail = detail;
  }
}

export class CashdeskSuccessEvent extends Event {
  static readonly type = 'cashdesk-success';
  readonly detail: { orderId: string; reference?: string };
  constructor(detail: CashdeskSuccessEvent['detail']) {
    super(CashdeskSuccessEvent.type, init());
    this.detail = detail;
  }
}

export class CashdeskFailureEvent extends Event {
  static readonly type = 'cashdesk-failure';
  readonly detail: { orderId: string; code: string; message?: string; status?: PaymentStatus };
  constructor(detail: CashdeskFailureEvent['detail']) {
    super(CashdeskFailureEvent.type, init());
    this.detail = detail;
  }
}

export class CashdeskExpiredEvent extends Event {
  static readonly type = 'cashdesk-expired';
  readonly detail: { orderId: string };
  constructor(detail: CashdeskExpiredEvent['detail']) {
    super(CashdeskExpiredEvent.type, init());
    this.detail = detail;
  }
}

export class CashdeskErrorEvent extends Event {
  static readonly type = 'cashdesk-error';
  readonly detail: { orderId: string; error: CheckoutError; code: string };
  constructor(detail: CashdeskErrorEvent['detail']) {
    super(CashdeskErrorEvent.type, init());
    this.detail = detail;
  }
}

/** `<cashdesk-qr>` asks for a new code (the shopper pressed "refresh" after expiry). */
export class CashdeskQrRefreshEvent extends Event {
  static readonly type = 'cashdesk-qr-refresh';
  readonly detail: { content: string };
  constructor(detail: CashdeskQrRefreshEvent['detail']) {
    super(CashdeskQrRefreshEvent.type, init());
    this.detail = detail;
  }
}

/** A redirect or form post is about to leave the page. Cancelable: the merchant navigates itself. */
export class CashdeskRedirectEvent extends Event {
  static readonly type = 'cashdesk-redirect';
  readonly detail: {
    orderId: string;
    action: ActionOf<'redirect' | 'form'>;
    /** The URL the browser will load (for a form, its action). */
    url: string;
  };
  constructor(detail: CashdeskRedirectEvent['detail']) {
    super(CashdeskRedirectEvent.type, init(true));
    this.detail = detail;
  }
}

/** The wallet app did not open from its deep link: the fallback is shown. */
export class CashdeskAppLaunchFailedEvent extends Event {
  static readonly type = 'cashdesk-app-launch-failed';
  readonly detail: { orderId: string; url: string };
  constructor(detail: CashdeskAppLaunchFailedEvent['detail']) {
    super(CashdeskAppLaunchFailedEvent.type, init());
    this.detail = detail;
  }
}

/** An SDK token for the native app. `bridge` says which native bridge it was posted to, if any. */
export class CashdeskSdkTokenEvent extends Event {
  static readonly type = 'cashdesk-sdk-token';
  readonly detail: {
    orderId: string;
    sdk: SdkName;
    token: string | Record<string, unknown>;
    bridge?: NativeBridgeKind;
  };
  constructor(detail: CashdeskSdkTokenEvent['detail']) {
    super(CashdeskSdkTokenEvent.type, init());
    this.detail = detail;
  }
}

/**
 * The action needs the system browser (an Alipay page inside WeChat). Cancelable: the merchant
 * shows its own guide instead of `<cashdesk-open-in-browser>`.
 */
export class CashdeskOpenInBrowserEvent extends Event {
  static readonly type = 'cashdesk-open-in-browser';
  readonly detail: { orderId: string; action: NextAction; inApp: InApp };
  constructor(detail: CashdeskOpenInBrowserEvent['detail']) {
    super(CashdeskOpenInBrowserEvent.type, init(true));
    this.detail = detail;
  }
}

/** `<cashdesk-open-in-browser>` was dismissed by the shopper. */
export class CashdeskCloseEvent extends Event {
  static readonly type = 'cashdesk-close';
  constructor() {
    super(CashdeskCloseEvent.type, init());
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
