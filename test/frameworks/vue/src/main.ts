// A merchant's Vue 3 page, importing the built package by its name: the checkout in a template,
// compiled in the browser (Vue's runtime-compiler build, so no SFC plugin), with its events bound
// by `@cashdesk-…`. Each handler writes what it received into the page, where
// test/e2e/frameworks.spec.ts reads it.
import 'cashdesk';
import type { CashdeskErrorEvent, CashdeskStatusEvent, CashdeskSuccessEvent } from 'cashdesk';
import type {} from 'cashdesk/vue';
import { createApp, defineComponent, ref } from 'vue';

const App = defineComponent({
  setup() {
    const log = ref<string[]>([]);
    return {
      log,
      onStatus: (event: CashdeskStatusEvent) => log.value.push(`status ${event.detail.state}`),
      onSuccess: (event: CashdeskSuccessEvent) =>
        log.value.push(`success ${event.detail.orderId} ${event.detail.reference ?? ''}`),
      onError: (event: CashdeskErrorEvent) => log.value.push(`error ${event.detail.code}`),
    };
  },
  template: `
    <main>
      <cashdesk-checkout
        endpoint="/api/pay"
        status-endpoint="/api/status"
        order-id="V-1"
        amount="9900"
        currency="CNY"
        methods="wxpay"
        :poll-schedule="{ first: 200, interval: 200 }"
        @cashdesk-status="onStatus"
        @cashdesk-success="onSuccess"
        @cashdesk-error="onError"
      ></cashdesk-checkout>
      <output data-testid="log">{{ log.join('\\n') }}</output>
    </main>
  `,
});

const app = createApp(App);
// The one line a Vue app needs: the cashdesk-* tags are custom elements, not Vue components.
app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('cashdesk-');
app.mount('#app');
