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
