/**
 * `cashdesk/react`: the elements as React components (React 18 and 19), with properties set as
 * properties and each `cashdesk-*` event as an `on…` prop typed with its event class.
 *
 * ```tsx
 * import { CashdeskCheckout } from 'cashdesk/react';
 * <CashdeskCheckout endpoint="/api/pay" orderId="A-1001" onSuccess={(e) => go(e.detail.orderId)} />
 * ```
 *
 * Importing this module also gives `<cashdesk-checkout>` and `<cashdesk-qr>` JSX types, for React 19
 * pages that use the tags directly (React 19 sets their properties and listens to
 * `oncashdesk-success`-style props itself).
 */
import { createComponent, type EventName } from '@lit/react';
// The main entry by the package's own name, not the element modules: it also sets the style nonce
// and registers the built-in gateways, which the checkout needs. The build keeps it an import of
// `cashdesk` (dist/cashdesk.js, listed in `sideEffects`), so registration survives tree-shaking and a
// page importing both gets one copy of each element; tsconfig's `paths` points it at src for tsc.
import { CashdeskCheckout as CheckoutElement, CashdeskQr as QrElement } from 'cashdesk';
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import * as React from 'react';
import type { CheckoutEventMap, CheckoutProps, QrEventMap, QrProps } from './element-props.js';

/** An event's name typed with its class for @lit/react; the name is checked against the global event map. */
function eventName<K extends keyof GlobalEventHandlersEventMap>(type: K): EventName<GlobalEventHandlersEventMap[K]> {
  return type as EventName<GlobalEventHandlersEventMap[K]>;
}

/** `<cashdesk-checkout>` for React; `ref` gives the element (`pay()`, `reset()`). */
export const CashdeskCheckout = createComponent({
  react: React,
  tagName: 'cashdesk-checkout',
  elementClass: CheckoutElement,
  displayName: 'CashdeskCheckout',
  events: {
    onSuccess: eventName('cashdesk-success'),
    onFailure: eventName('cashdesk-failure'),
    onExpired: eventName('cashdesk-expired'),
    onError: eventName('cashdesk-error'),
    onStatus: eventName('cashdesk-status'),
    onAction: eventName('cashdesk-action'),
    onRedirect: eventName('cashdesk-redirect'),
    onAppLaunchFailed: eventName('cashdesk-app-launch-failed'),
    onSdkToken: eventName('cashdesk-sdk-token'),
    onOpenInBrowser: eventName('cashdesk-open-in-browser'),
  },
});

/** `<cashdesk-qr>` for React. */
export const CashdeskQr = createComponent({
  react: React,
  tagName: 'cashdesk-qr',
  elementClass: QrElement,
  displayName: 'CashdeskQr',
  events: {
    onRefresh: eventName('cashdesk-qr-refresh'),
  },
});

/** React 19's own listener props on a custom element: `on` followed by the event's name as fired. */
type TagListeners<Events> = { [K in keyof Events & string as `on${K}`]?: (event: Events[K]) => void };

/** A cashdesk tag's JSX props: React's HTML attributes, the element's properties, and its events. */
type TagProps<Element extends HTMLElement, Props, Events> = DetailedHTMLProps<HTMLAttributes<Element>, Element> &
  Props &
  TagListeners<Events>;

export type CashdeskCheckoutTagProps = TagProps<CheckoutElement, CheckoutProps, CheckoutEventMap>;
export type CashdeskQrTagProps = TagProps<QrElement, QrProps, QrEventMap>;

// Here rather than in the main entry's types: only pages that import `cashdesk/react` have React's
// types, and a `declare module 'react'` elsewhere would fail to compile without them.
declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'cashdesk-checkout': CashdeskCheckoutTagProps;
      'cashdesk-qr': CashdeskQrTagProps;
    }
  }
}
