// Type checks only (not bundled): what `cashdesk/vue` gives Vue's template checker, read the way
// Volar reads it, through `GlobalComponents`. (Templates themselves need vue-tsc, which needs
// TypeScript's JavaScript API; TypeScript 7 has none.) Each `@ts-expect-error` fails the check
// when the line it covers compiles.
import type { CashdeskAppLaunchFailedEvent } from 'cashdesk';
import type {} from 'cashdesk/vue';
import type { GlobalComponents } from 'vue';

type CheckoutProps = InstanceType<GlobalComponents['CashdeskCheckout']>['$props'];
type QrProps = InstanceType<GlobalComponents['CashdeskQr']>['$props'];

export const checkout: CheckoutProps = {
  orderId: 'V-1',
  pollSchedule: { first: 200 },
  onCashdeskSuccess: (event) => event.detail.reference,
  onCashdeskAppLaunchFailed: (event: CashdeskAppLaunchFailedEvent) => event.detail.url,
  onCashdeskRedirect: (event) => event.preventDefault(),
  onCashdeskSdkToken: (event) => event.detail.sdk,
  onCashdeskOpenInBrowser: (event) => event.detail.inApp,
};

export const qr: QrProps = {
  content: 'weixin://wxpay/bizpayurl?pr=1',
  onCashdeskQrRefresh: (event) => event.detail.content,
};

// @ts-expect-error `amount` is minor units as a string
export const wrongAmount: CheckoutProps = { amount: 9900 };

// @ts-expect-error `@cashdesk-success` gets a CashdeskSuccessEvent, which has no `detail.code`
export const wrongDetail: CheckoutProps = { onCashdeskSuccess: (event) => event.detail.code };

// @ts-expect-error a misspelt event is not a listener
export const misspelt: CheckoutProps = { onCashdeskSucess: (event: Event) => event.type };
