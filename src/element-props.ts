/**
 * What a framework binding may set on each element and which events it fires, in one place for
 * `cashdesk/react` and `cashdesk/vue`. Types only: importing this module costs nothing at runtime.
 */
import type { CashdeskCheckout } from './elements/cashdesk-checkout/cashdesk-checkout.js';
import type { CashdeskQr } from './elements/cashdesk-qr/cashdesk-qr.js';

/**
 * The public properties of `<cashdesk-checkout>`, picked by name rather than "everything not on
 * HTMLElement", so `pay`, `renderRoot` or `updateComplete` are not offered as props. `Pick` fails
 * to compile when one of these is renamed in the element.
 */
export type CheckoutProps = Partial<
  Pick<
    CashdeskCheckout,
    | 'endpoint'
    | 'statusEndpoint'
    | 'orderId'
    | 'amount'
    | 'currency'
    | 'methods'
    | 'gateway'
    | 'returnUrl'
    | 'payload'
    | 'headers'
    | 'credentials'
    | 'allowedHosts'
    | 'allowInsecure'
    | 'pollSchedule'
    | 'navigateTop'
    | 'resume'
    | 'environment'
    | 'lang'
  >
>;

/** The public properties of `<cashdesk-qr>`. */
export type QrProps = Partial<
  Pick<CashdeskQr, 'content' | 'expiresAt' | 'label' | 'longPressLabel' | 'mobile' | 'longPress' | 'lang'>
>;

/** The events `<cashdesk-checkout>` fires, taken from the global event map so the classes stay the one source. */
export type CheckoutEventMap = Pick<
  GlobalEventHandlersEventMap,
  | 'cashdesk-success'
  | 'cashdesk-failure'
  | 'cashdesk-expired'
  | 'cashdesk-error'
  | 'cashdesk-status'
  | 'cashdesk-action'
  | 'cashdesk-redirect'
  | 'cashdesk-app-launch-failed'
  | 'cashdesk-sdk-token'
  | 'cashdesk-open-in-browser'
>;

/** The events `<cashdesk-qr>` fires. */
export type QrEventMap = Pick<GlobalEventHandlersEventMap, 'cashdesk-qr-refresh'>;
