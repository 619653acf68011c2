// In the module build a language other than English is fetched when a page in that language first
// needs it. The checkout waits for it before drawing: a Chinese page never shows English first.
import { expect } from '@open-wc/testing';
import '../../../src/elements/cashdesk-checkout/cashdesk-checkout.js';
import type { CashdeskCheckout } from '../../../src/elements/cashdesk-checkout/cashdesk-checkout.js';
import { isLocaleReady } from '../../../src/i18n/localize.js';

describe('a language fetched when first needed', () => {
  it('draws nothing until zh-TW is here, then draws zh-TW, never English first', async () => {
    expect(isLocaleReady('zh-TW')).to.equal(false);
    expect(isLocaleReady('en')).to.equal(true);
    const el = document.createElement('cashdesk-checkout') as CashdeskCheckout;
    el.setAttribute('lang', 'zh-TW');
    el.setAttribute('order-id', 'A1');
    el.setAttribute('amount', '9900');
    el.setAttribute('currency', 'CNY');
    el.setAttribute('methods', 'alipay');
    el.setAttribute('endpoint', '/api/pay');
    const drawn: string[] = [];
    document.body.append(el);
    const seen = new MutationObserver(() => drawn.push(el.shadowRoot?.textContent ?? ''));
    if (el.shadowRoot) seen.observe(el.shadowRoot, { childList: true, subtree: true, characterData: true });
    await el.updateComplete;
    seen.disconnect();
    expect(isLocaleReady('zh-TW')).to.equal(true);
    const pay = el.shadowRoot?.querySelector('button[part~="button"]')?.textContent ?? '';
    expect(pay).to.match(/支付|付款/);
    expect(drawn.join(' ')).not.to.match(/\bPay\b/);
    el.remove();
  });
});
