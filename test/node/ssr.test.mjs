// `import 'cashdesk'` on the server (Next.js, Nuxt, Astro, Vite SSR) must not throw: nothing in the
// package touches the DOM at import time. Run on the built package, as a framework would load it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

test('the ES build imports in Node, and its pure core works there', async () => {
  const cashdesk = await import('../../dist/cashdesk.js');
  assert.equal(typeof cashdesk.CashdeskCheckout, 'function');
  assert.equal(typeof cashdesk.CashdeskQr, 'function');
  // Each built-in adapter is a chunk of its own, fetched when first needed.
  assert.throws(() => cashdesk.toAction('epay', { code: 1 }), { code: 'unknown_gateway' });
  await cashdesk.loadGateways(['epay']);
  const action = cashdesk.toAction('epay', { code: 1, trade_no: '1', payurl: 'https://pay.example/submit/1/' });
  assert.deepEqual(action, { kind: 'redirect', url: 'https://pay.example/submit/1/', reference: '1', gateway: 'epay' });
});

test('the core entry imports in Node and classifies with one adapter', async () => {
  const core = await import('../../dist/core.js');
  core.registerGateway('epay', core.epay);
  const action = core.toAction('epay', '{"code":-1,"msg":"\\u7b7e\\u540d\\u9519\\u8bef"}');
  assert.deepEqual(action, { kind: 'failed', code: '-1', message: '签名错误', gateway: 'epay' });
});

test('the headless flow the README uses is exported, and pays in Node with no DOM', async () => {
  const { PaymentFlow, FAILURE_REASONS, next, initialState, webKeyStore, StatusPoller } = await import(
    '../../dist/cashdesk.js'
  );
  // Where there is no page, the poller is given what it listens to (visibility, pageshow, online).
  const page = {
    document: Object.assign(new EventTarget(), { visibilityState: 'visible' }),
    window: new EventTarget(),
  };
  assert.ok(FAILURE_REASONS.includes('insufficient_funds'));
  assert.equal(
    next(initialState, { type: 'pay', orderId: 'A1', method: 'alipay', newKey: 'k1' }).state.view,
    'creating',
  );
  const statuses = [];
  const flow = new PaymentFlow({
    backend: {
      create: async () => ({ gateway: 'test', response: {} }),
      status: async () => ({ status: 'paid' }),
    },
    environment: { mobile: false, os: 'other' },
    keys: webKeyStore(() => undefined),
    toAction: () => ({ kind: 'pending' }),
    poller: (options) => new StatusPoller({ ...options, target: page }),
  });
  const paid = new Promise((resolve) => flow.addEventListener('cashdesk-success', (event) => resolve(event.detail)));
  flow.subscribe((state) => statuses.push(state.view));
  await flow.pay('A1', 'alipay');
  assert.equal((await paid).orderId, 'A1');
  assert.equal(flow.state.view, 'paid');
  assert.ok(statuses.includes('creating'), statuses.join(' '));
  flow.disconnect();
});
