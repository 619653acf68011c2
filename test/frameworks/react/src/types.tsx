// Type checks only (not bundled): what `cashdesk/react` must accept and refuse. Each
// `@ts-expect-error` fails the type-check when the line it covers compiles.
import type { CashdeskRedirectEvent, CashdeskSuccessEvent } from 'cashdesk';
import { CashdeskCheckout, CashdeskQr } from 'cashdesk/react';
import { createRef } from 'react';

const element = createRef<HTMLElementTagNameMap['cashdesk-checkout']>();

export const typed = [
  <CashdeskCheckout
    key="events"
    ref={element}
    orderId="A-1"
    headers={{ 'X-CSRF-Token': 't' }}
    onSuccess={(event: CashdeskSuccessEvent) => event.detail.reference}
    onRedirect={(event: CashdeskRedirectEvent) => event.preventDefault()}
    onAppLaunchFailed={(event) => event.detail.url.length}
    onSdkToken={(event) => event.detail.sdk}
    onOpenInBrowser={(event) => event.detail.inApp}
    onAction={(event) => event.detail.action.kind}
    onFailure={(event) => event.detail.code}
    onExpired={(event) => event.detail.orderId}
  />,
  <CashdeskQr key="qr" content="weixin://wxpay/bizpayurl?pr=1" onRefresh={(event) => event.detail.content} />,
  <cashdesk-qr key="tag" content="x" expiresAt={0} oncashdesk-qr-refresh={(event) => event.detail.content} />,
  // @ts-expect-error `amount` is minor units as a string
  <CashdeskCheckout key="amount" amount={9900} />,
  // @ts-expect-error `onSuccess` gets a CashdeskSuccessEvent, which has no `detail.code`
  <CashdeskCheckout key="detail" onSuccess={(event) => event.detail.code} />,
  // @ts-expect-error the tag's listener is typed with its event too
  <cashdesk-checkout key="tag-detail" oncashdesk-success={(event) => event.detail.code} />,
  // @ts-expect-error an unknown property on the tag
  <cashdesk-checkout key="tag-unknown" orderID="A-1" />,
];
