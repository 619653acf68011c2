/**
 * The events cashdesk elements fire: small typed classes, prefixed `cashdesk-`, bubbling and
 * composed (they cross shadow roots), each with a typed `detail`. The one fired before an action
 * is performed is cancelable, so a merchant can take the action over.
 */
import type { PaymentStatus, StatusAnswer } from '../core/backend.js';
import type { CheckoutError } from '../core/errors.js';
import type { NextAction } from '../core/next-action.js';

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

declare global {
  interface GlobalEventHandlersEventMap {
    'cashdesk-action': CashdeskActionEvent;
    'cashdesk-status': CashdeskStatusEvent;
    'cashdesk-success': CashdeskSuccessEvent;
    'cashdesk-failure': CashdeskFailureEvent;
    'cashdesk-expired': CashdeskExpiredEvent;
    'cashdesk-error': CashdeskErrorEvent;
    'cashdesk-qr-refresh': CashdeskQrRefreshEvent;
  }
}
