/**
 * `cashdesk/vue`: types only. It gives Vue's template type-checker (Volar, vue-tsc) the elements'
 * properties and events, so `<cashdesk-checkout :order-id="id" @cashdesk-success="paid">` is checked
 * and `paid` gets a `CashdeskSuccessEvent`. Load it once, e.g. in `env.d.ts`:
 * `import type {} from 'cashdesk/vue';`; register the elements with `import 'cashdesk'`, and tell
 * Vue they are custom elements: `isCustomElement: (tag) => tag.startsWith('cashdesk-')`.
 */
import type { DefineComponent } from 'vue';
import type { CheckoutEventMap, CheckoutProps, QrEventMap, QrProps } from './element-props.js';

/** `cashdesk-app-launch-failed` → `CashdeskAppLaunchFailed`. */
type PascalCase<Name extends string> = Name extends `${infer Head}-${infer Tail}`
  ? `${Capitalize<Head>}${PascalCase<Tail>}`
  : Capitalize<Name>;

/** Vue compiles `@cashdesk-success` to an `onCashdeskSuccess` prop, and adds it as a listener for `cashdesk-success`. */
type VueListeners<Events> = {
  [K in keyof Events & string as `on${PascalCase<K>}`]?: (event: Events[K]) => void;
};

export type CashdeskCheckoutVueProps = CheckoutProps & VueListeners<CheckoutEventMap>;
export type CashdeskQrVueProps = QrProps & VueListeners<QrEventMap>;

declare module 'vue' {
  interface GlobalComponents {
    CashdeskCheckout: DefineComponent<CashdeskCheckoutVueProps>;
    CashdeskQr: DefineComponent<CashdeskQrVueProps>;
  }
}
